import { Alert, App, Button, Input, Tag } from 'antd';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SyncCheck } from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { clockSkewText, describeSyncError, syncBadgeKeys, syncStateColours } from './sync-labels';
import { useSyncStatus } from './sync-status';

/** What the server will also check: http(s), no credentials, query or fragment. */
function urlLooksValid(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function CheckResult({ check }: { check: SyncCheck }) {
  const { t } = useI18n();
  const details: string[] = [];
  if (!check.ok && check.error?.message) details.push(t('sync.platformSaid', { message: check.error.message }));
  if (check.database) details.push(t('platform.checkDatabase', { database: check.database }));
  if (check.clockSkewSeconds !== null && Math.abs(check.clockSkewSeconds) > 300) details.push(clockSkewText(check.clockSkewSeconds, t));
  return (
    <Alert
      className="hc-platform__check"
      type={check.ok ? 'success' : 'error'}
      showIcon
      role="status"
      data-testid="platform-check"
      data-ok={check.ok}
      data-code={check.error?.code ?? ''}
      title={check.ok ? t('platform.checkOk') : t('platform.checkFailed', { reason: check.error ? describeSyncError(check.error, t) : '' })}
      description={
        details.length > 0 ? (
          <div>
            {details.map((line) => (
              <div key={line}>{line}</div>
            ))}
          </div>
        ) : undefined
      }
    />
  );
}

/**
 * Settings → Central platform: its address and this station's token (never shown again once saved:
 * only its last four characters), a test of both, the state of the sync, and a way to send refused
 * cases again once the cause is fixed.
 */
export function PlatformSettings({ autoFocus = false }: { autoFocus?: boolean }) {
  const api = useApi();
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const reportError = useErrorReporter();
  const { status, setStatus } = useSyncStatus();
  const [platformUrl, setPlatformUrl] = useState(status?.platformUrl ?? '');
  const urlTouched = useRef(false);
  const [token, setToken] = useState('');
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const [tokenProblem, setTokenProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [check, setCheck] = useState<SyncCheck | null>(null);
  const section = useRef<HTMLElement>(null);
  const urlId = useId();
  const tokenId = useId();

  // The saved address fills the field once it is known, unless the operator has started typing.
  useEffect(() => {
    if (!urlTouched.current && status?.platformUrl) setPlatformUrl(status.platformUrl);
  }, [status?.platformUrl]);

  useEffect(() => {
    if (!autoFocus) return;
    section.current?.scrollIntoView({ block: 'start' });
    section.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [autoFocus]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const urlOk = urlLooksValid(platformUrl);
    const tokenOk = token.trim() !== '' || Boolean(status?.tokenHint);
    setUrlProblem(urlOk ? null : t('platform.urlInvalid'));
    setTokenProblem(tokenOk ? null : t('platform.tokenRequired'));
    if (!urlOk || !tokenOk) return;
    setSaving(true);
    setCheck(null);
    try {
      const result = await api.call('sync.configure', { platformUrl: platformUrl.trim(), token: token.trim() || null });
      setStatus(result.status);
      setCheck(result.check);
      setToken('');
      urlTouched.current = false;
      setPlatformUrl(result.status.platformUrl ?? platformUrl);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
        const fields = new Set((error.info.fieldIssues ?? []).map((issue) => issue.field));
        if (fields.has('platformUrl')) setUrlProblem(t('platform.urlInvalid'));
        if (fields.has('token')) setTokenProblem(t('platform.tokenPlaceholder'));
        if (!fields.has('platformUrl') && !fields.has('token')) reportError(error);
      } else reportError(error);
    } finally {
      setSaving(false);
    }
  };

  const retryFailed = async () => {
    setRetrying(true);
    try {
      const result = await api.call('sync.retryFailed', {});
      setStatus(result.status);
      message.success({ content: t('platform.retried', { count: result.requeued }), key: 'platform-retried' });
    } catch (error) {
      reportError(error);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <section ref={section} className="hc-settings__section hc-platform" aria-labelledby="settings-platform-title" data-testid="platform-settings">
      <h3 className="hc-settings__heading" id="settings-platform-title">
        {t('platform.title')}
      </h3>
      <p className="hc-settings__intro hc-muted">{t('platform.intro')}</p>
      <form className="hc-platform__form" onSubmit={(event) => void save(event)} noValidate>
        <label className="hc-device__label" htmlFor={urlId}>
          {t('platform.url')}
        </label>
        <Input
          id={urlId}
          size="large"
          value={platformUrl}
          status={urlProblem ? 'error' : undefined}
          placeholder={t('platform.urlPlaceholder')}
          autoComplete="url"
          spellCheck={false}
          aria-invalid={urlProblem !== null}
          aria-describedby={urlProblem ? `${urlId}-problem` : undefined}
          data-testid="platform-url"
          onChange={(event) => {
            urlTouched.current = true;
            setPlatformUrl(event.target.value);
            setUrlProblem(null);
          }}
        />
        {urlProblem ? (
          <div className="hc-platform__problem" id={`${urlId}-problem`} role="alert" data-testid="platform-url-problem">
            {urlProblem}
          </div>
        ) : null}
        <label className="hc-device__label" htmlFor={tokenId}>
          {t('platform.token')}
        </label>
        <Input.Password
          id={tokenId}
          size="large"
          value={token}
          status={tokenProblem ? 'error' : undefined}
          placeholder={status?.tokenHint ? t('platform.tokenSaved', { hint: status.tokenHint }) : t('platform.tokenPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={tokenProblem !== null}
          data-testid="platform-token"
          onChange={(event) => {
            setToken(event.target.value);
            setTokenProblem(null);
          }}
        />
        {tokenProblem ? (
          <div className="hc-platform__problem" role="alert" data-testid="platform-token-problem">
            {tokenProblem}
          </div>
        ) : null}
        <div className="hc-platform__actions">
          <Button type="primary" size="large" htmlType="submit" loading={saving} data-testid="platform-save">
            {t('platform.save')}
          </Button>
        </div>
      </form>
      {check ? <CheckResult check={check} /> : null}
      {status ? (
        <>
          <dl className="hc-facts hc-platform__status" data-testid="platform-status" data-state={status.state}>
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('platform.status')}</dt>
              <dd>
                <Tag color={syncStateColours[status.state]}>{t(syncBadgeKeys[status.state])}</Tag>
                {status.lastError ? <span data-testid="platform-last-error">{describeSyncError(status.lastError, t)}</span> : null}
              </dd>
            </div>
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('platform.queue')}</dt>
              <dd data-testid="platform-queue">{t('platform.count', { count: status.queueLength })}</dd>
            </div>
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('platform.failed')}</dt>
              <dd data-testid="platform-failed">{t('platform.count', { count: status.failedCount })}</dd>
            </div>
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('platform.lastContact')}</dt>
              <dd>{status.lastContactAt ? formatDateTime(status.lastContactAt, locale) : t('platform.never')}</dd>
            </div>
          </dl>
          {status.clockSkewWarning && status.clockSkewSeconds !== null ? (
            <Alert type="warning" showIcon data-testid="platform-clock-skew" title={clockSkewText(status.clockSkewSeconds, t)} />
          ) : null}
          <Button onClick={() => void retryFailed()} loading={retrying} disabled={status.failedCount === 0} data-testid="platform-retry-failed">
            {t('platform.retryFailed')}
          </Button>
        </>
      ) : null}
    </section>
  );
}
