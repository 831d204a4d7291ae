import { AudioOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useSyncExternalStore } from 'react';
import type { Speaker } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import { speakerLabelKeys, useI18n, type MessageKey } from '../../i18n';
import { LevelMeter } from '../audio/level-meter';
import type { LineCaptureState } from '../audio/line-capture';
import { lineStatus, type LineStatusKind } from '../audio/line-status';
import { describeCaptureProblem, isRetryable } from '../audio/problem-text';
import type { CallAudioController } from './use-call-audio';

const statusKeys: Record<LineStatusKind, MessageKey> = {
  starting: 'audio.line.starting',
  listening: 'audio.line.listening',
  'recording-only': 'audio.line.recordingOnly',
  failed: 'audio.line.failed',
  stopped: 'audio.line.stopped',
};

function LineIndicator({ state, speechReady, onRetry }: { state: LineCaptureState; speechReady: boolean; onRetry: (speaker: Speaker) => void }) {
  const { t } = useI18n();
  const status = lineStatus(state, speechReady);
  const flowing = status.kind === 'listening' || status.kind === 'recording-only' || (status.kind === 'failed' && state.phase === 'listening');
  const speaker = t(speakerLabelKeys[state.speaker]);
  const warnings: string[] = [];
  if (status.fallingBehind) warnings.push(t('audio.line.fallingBehind'));
  if (status.skippedUtterances > 0) warnings.push(t('audio.line.skipped', { count: status.skippedUtterances }));
  if (status.reconnecting) warnings.push(t('audio.line.reconnecting'));
  if (status.droppedMs >= 1000) warnings.push(t('audio.line.dropped', { seconds: Math.round(status.droppedMs / 1000) }));

  return (
    <div
      className={`hc-audio-line hc-audio-line--${status.kind}`}
      data-testid="audio-line"
      data-speaker={state.speaker}
      data-status={status.kind}
      data-phase={state.phase}
      data-line-id={state.line?.id ?? ''}
      data-line-state={state.line?.state ?? ''}
      data-falling-behind={status.fallingBehind}
      data-skipped={status.skippedUtterances}
      data-problem={status.problem?.kind ?? ''}
    >
      <div className="hc-audio-line__head">
        <span className="hc-audio-line__speaker">{speaker}</span>
        <LevelMeter levelDb={state.levelDb} live={flowing} label={t('settings.levelOf', { device: speaker })} testId="audio-line-level" />
        <span className="hc-audio-line__status" data-testid="audio-line-status">
          {t(statusKeys[status.kind])}
        </span>
      </div>
      {status.problem ? (
        <div className="hc-audio-line__problem" data-testid="audio-line-problem" role="status">
          <WarningOutlined aria-hidden /> {describeCaptureProblem(status.problem, t)} {t('audio.typingGoesOn')}
          {status.problem.detail ? (
            <Tooltip title={status.problem.detail}>
              <span className="hc-audio-line__detail hc-muted" tabIndex={0}>
                {t('status.details')}
              </span>
            </Tooltip>
          ) : null}
          {state.phase === 'failed' && isRetryable(status.problem) ? (
            <Button size="small" onClick={() => onRetry(state.speaker)} data-testid="audio-line-retry">
              {t('audio.line.retry')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div className="hc-audio-line__warning" data-testid="audio-line-warning" role="status">
          {warnings.join(' · ')}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Above the transcript: turning transcription on and off for the call, and one indicator per
 * audio line (level, listening, falling behind, failed and why).
 */
export function AudioLinesBar({
  controller,
  callActive,
  speechReady,
  onOpenSettings,
}: {
  controller: CallAudioController;
  callActive: boolean;
  speechReady: boolean;
  onOpenSettings: () => void;
}) {
  const { t } = useI18n();
  const snapshot = useSyncExternalStore(controller.audio.subscribe, controller.audio.getSnapshot);
  // Once the call has ended its lines are of no more use to the operator.
  const lines = callActive ? snapshot.lines : [];

  return (
    <div className="hc-audio-lines" data-testid="audio-lines" data-listening={snapshot.active}>
      <div className="hc-audio-lines__controls">
        {controller.hasDevices ? (
          <Button
            icon={<AudioOutlined />}
            type={snapshot.active ? 'default' : 'primary'}
            ghost={!snapshot.active}
            disabled={!callActive}
            onClick={() => (snapshot.active ? void controller.stop() : controller.start())}
            data-testid="audio-toggle"
            data-listening={snapshot.active}
          >
            {t(snapshot.active ? 'audio.stop' : 'audio.start')} <Kbd>Alt+M</Kbd>
          </Button>
        ) : (
          <>
            <span className="hc-muted hc-audio-lines__hint" data-testid="audio-no-devices">
              {t('audio.noDevices')}
            </span>
            <Button size="small" onClick={onOpenSettings} data-testid="audio-choose-devices">
              {t('audio.chooseDevices')}
            </Button>
          </>
        )}
      </div>
      {lines.map((line) => (
        <LineIndicator key={`${line.speaker}`} state={line} speechReady={speechReady} onRetry={controller.retry} />
      ))}
    </div>
  );
}
