import { Button, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { SampleCallSummary, ScriptPlayback } from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { useI18n } from '../../i18n';
import { formatOffset } from '../../shared/format';
import { useErrorReporter } from '../../shared/use-error-reporter';

const speeds = [1, 2, 5, 10, 20, 50] as const;

export function ScriptPlayer({
  playback,
  onPlay,
  onStop,
}: {
  playback: ScriptPlayback | null;
  onPlay: (script: SampleCallSummary, speed: number) => Promise<void>;
  onStop: () => Promise<void>;
}) {
  const api = useApi();
  const { t } = useI18n();
  const reportError = useErrorReporter();
  const [scripts, setScripts] = useState<SampleCallSummary[]>([]);
  const [scriptId, setScriptId] = useState<string | undefined>(undefined);
  const [speed, setSpeed] = useState<number>(1);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.call('scripts.list', {}).then(
      (found) => {
        if (!cancelled) setScripts(found);
      },
      (error: unknown) => {
        if (!cancelled) reportError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, reportError]);

  const playing = playback?.state === 'playing';
  const selected = scripts.find((script) => script.id === scriptId);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hc-script" data-testid="script-player">
      <span className="hc-script__label">{t('script.label')}</span>
      <Space.Compact block>
        <Select<string>
          className="hc-script__select"
          value={scriptId}
          onChange={setScriptId}
          placeholder={t('script.placeholder')}
          notFoundContent={t('script.none')}
          popupMatchSelectWidth={false}
          virtual={false}
          data-testid="script-select"
          options={scripts.map((script) => ({
            value: script.id,
            title: script.description,
            label: (
              <span data-testid={`script-option-${script.id}`}>
                {script.title}
                <span className="hc-muted">
                  {' · '}
                  {t('script.utterances', { count: script.utteranceCount })} · {formatOffset(script.durationMs)}
                </span>
              </span>
            ),
          }))}
        />
        <Select<number>
          className="hc-script__speed"
          value={speed}
          onChange={setSpeed}
          aria-label={t('script.speed')}
          virtual={false}
          data-testid="script-speed"
          options={speeds.map((value) => ({
            value,
            label: <span data-testid={`speed-option-${value}`}>{value}×</span>,
          }))}
        />
        {playing ? (
          <Button onClick={() => void run(onStop)} loading={busy} data-testid="script-stop">
            {t('script.stop')}
          </Button>
        ) : (
          <Button
            type="primary"
            ghost
            disabled={!selected}
            loading={busy}
            onClick={() => selected && void run(() => onPlay(selected, speed))}
            data-testid="script-play"
          >
            {t('script.play')}
          </Button>
        )}
      </Space.Compact>
      {playback ? (
        <div className="hc-script__progress hc-muted" data-testid="script-progress" data-state={playback.state}>
          {t(`script.${playback.state}`, { played: playback.played, total: playback.total })}
        </div>
      ) : null}
    </div>
  );
}
