import { Alert, Button, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { SpeechModelInfo } from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { useI18n } from '../../i18n';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { describeSpeechStatus, speechStateColours, speechStateLabelKeys, useSpeechStatus } from './speech-status';

const fetchCommand = 'hotline-console models fetch whisper-base';
const importCommand = 'hotline-console models import DIR';

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0);
}

function VerifiedTag({ verified }: { verified: boolean | null }) {
  const { t } = useI18n();
  if (verified === true) return <Tag color="green">{t('settings.model.verified')}</Tag>;
  if (verified === false) return <Tag color="red">{t('settings.model.unverified')}</Tag>;
  return <Tag>{t('settings.model.notChecked')}</Tag>;
}

function InstallHelp() {
  const { t } = useI18n();
  return (
    <div className="hc-install" data-testid="speech-model-install-help">
      <p>{t('settings.model.noneInstalled')}</p>
      <h4 className="hc-install__title">{t('settings.model.howTo')}</h4>
      <ol className="hc-install__steps">
        <li>
          {t('settings.model.step1')}
          <pre className="hc-command">{fetchCommand}</pre>
          <span className="hc-muted">{t('settings.model.mirrorHint')}</span>
        </li>
        <li>{t('settings.model.step2')}</li>
        <li>
          {t('settings.model.step3')}
          <pre className="hc-command">{importCommand}</pre>
        </li>
      </ol>
    </div>
  );
}

/** The active model and its state, the installed models (checked against their manifests), and how to add one. */
export function SpeechModelSettings() {
  const api = useApi();
  const { t } = useI18n();
  const reportError = useErrorReporter();
  const { status, setStatus } = useSpeechStatus();
  const [models, setModels] = useState<SpeechModelInfo[] | null>(null);
  const [listing, setListing] = useState(false);
  const [selecting, setSelecting] = useState<string | null>(null);

  const list = useCallback(async () => {
    setListing(true);
    try {
      setModels(await api.call('speech.listModels', {}));
    } catch (error) {
      reportError(error);
    } finally {
      setListing(false);
    }
  }, [api, reportError]);

  useEffect(() => {
    void list();
  }, [list]);

  const select = async (name: string) => {
    setSelecting(name);
    try {
      // Loading can take a while; the state shows "loading" meanwhile through the status event.
      setStatus(await api.call('speech.selectModel', { name }));
    } catch (error) {
      reportError(error);
    } finally {
      setSelecting(null);
    }
  };

  const activeName = status.model?.name ?? null;
  // The service's own words help IT with an error; for "no model" the steps below say it all.
  const showDetail = status.state === 'error' && status.message;

  return (
    <section className="hc-settings__section" aria-labelledby="settings-model-title" data-testid="speech-model-settings">
      <h3 className="hc-settings__heading" id="settings-model-title">
        {t('settings.model.title')}
      </h3>
      <div className="hc-model-status" data-testid="speech-model-status" data-state={status.state}>
        <div className="hc-model-status__row">
          <span className="hc-muted">{t('settings.model.active')}</span>
          <strong data-testid="speech-model-name">{activeName ?? t('settings.model.none')}</strong>
          <Tag color={speechStateColours[status.state]} data-testid="speech-model-state">
            {t(speechStateLabelKeys[status.state])}
          </Tag>
          {status.state === 'loading' ? <Spin size="small" /> : null}
        </div>
        <p className="hc-model-status__message" data-testid="speech-model-message">
          {status.state === 'no-model' ? t('settings.model.noModelStatus') : describeSpeechStatus(status, t)}
        </p>
        {showDetail ? (
          <p className="hc-muted hc-model-status__detail">
            {status.code ? `${status.code} · ` : ''}
            {status.message}
          </p>
        ) : null}
      </div>

      <div className="hc-models__header">
        <h4 className="hc-models__title">{t('settings.model.installed')}</h4>
        <Button onClick={() => void list()} loading={listing} data-testid="speech-models-refresh">
          {t('settings.model.refresh')}
        </Button>
      </div>
      {models === null ? (
        <p className="hc-muted" data-testid="speech-models-loading">
          {t('settings.model.loadingList')}
        </p>
      ) : models.length === 0 ? (
        <InstallHelp />
      ) : (
        <ul className="hc-models" data-testid="speech-model-list">
          {models.map((model) => {
            const active = model.name === activeName;
            return (
              <li
                key={model.name}
                className={`hc-model${active ? ' hc-model--active' : ''}`}
                data-testid="speech-model-item"
                data-model-name={model.name}
                data-verified={String(model.verified)}
                data-active={active}
              >
                <div className="hc-model__head">
                  <strong className="hc-model__name">{model.name}</strong>
                  <VerifiedTag verified={model.verified} />
                  <span className="hc-muted">{t('settings.model.size', { size: megabytes(model.sizeBytes) })}</span>
                  <span className="hc-model__action">
                    {active && status.state === 'error' ? (
                      // The recogniser stopped or the model would not load: loading it again is the first remedy.
                      <Button
                        type="primary"
                        ghost
                        onClick={() => void select(model.name)}
                        loading={selecting === model.name}
                        disabled={selecting !== null}
                        data-testid="speech-model-reload"
                      >
                        {t('settings.model.reload')}
                      </Button>
                    ) : active ? (
                      <Tag color="blue" data-testid="speech-model-in-use">
                        {t('settings.model.inUse')}
                      </Tag>
                    ) : (
                      <Button
                        type="primary"
                        ghost
                        onClick={() => void select(model.name)}
                        loading={selecting === model.name}
                        disabled={selecting !== null || model.verified === false}
                        data-testid="speech-model-use"
                      >
                        {t('settings.model.use')}
                      </Button>
                    )}
                  </span>
                </div>
                {model.description ? <div className="hc-model__description">{model.description}</div> : null}
                <div className="hc-muted hc-model__facts">
                  {t('settings.model.licence')}: {model.licence} · {t('settings.model.source')}: {model.source}
                </div>
                {model.verified === false ? (
                  <Alert className="hc-model__problem" type="error" showIcon title={t('speechCode.SPEECH_MODEL_INVALID')} />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
