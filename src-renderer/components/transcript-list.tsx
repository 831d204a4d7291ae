import { Tag } from 'antd';
import type { PartialTranscript, TranscriptSegment } from '../../src-main/contract';
import { segmentSourceLabelKeys, speakerLabelKeys, useI18n } from '../i18n';
import { formatOffset } from '../shared/format';

/** Below this, a recognised line is marked as uncertain. */
export const lowConfidence = 0.5;

export function isLowConfidence(segment: TranscriptSegment): boolean {
  return segment.source === 'asr' && segment.confidence !== null && segment.confidence < lowConfidence;
}

/**
 * Transcript lines in the order given, caller and operator told apart by label and colour;
 * recognised lines the recogniser was unsure of are marked quietly. A live call also passes the
 * text of utterances still being spoken, shown lighter under the last line.
 */
export function TranscriptList({
  segments,
  partials = [],
  testId = 'transcript-list',
}: {
  segments: TranscriptSegment[];
  partials?: PartialTranscript[];
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <ol className="hc-transcript" data-testid={testId}>
      {segments.map((segment) => {
        const unsure = isLowConfidence(segment);
        return (
          <li
            key={segment.id}
            className={`hc-line hc-line--${segment.speaker}${unsure ? ' hc-line--unsure' : ''}`}
            data-testid="transcript-segment"
            data-segment-id={segment.id}
            data-speaker={segment.speaker}
            data-source={segment.source}
            data-confidence={segment.confidence ?? ''}
            data-low-confidence={unsure}
          >
            <div className="hc-line__meta">
              <span className="hc-line__speaker" data-testid="segment-speaker">
                {t(speakerLabelKeys[segment.speaker])}
              </span>
              <span className="hc-line__time">{formatOffset(segment.startMs)}</span>
              {segment.source !== 'typed' ? (
                <Tag className="hc-line__source" variant="outlined" data-testid="segment-source">
                  {t(segmentSourceLabelKeys[segment.source])}
                </Tag>
              ) : null}
              {unsure ? (
                <span
                  className="hc-line__unsure"
                  data-testid="segment-low-confidence"
                  title={t('transcript.lowConfidenceHint', { percent: Math.round((segment.confidence ?? 0) * 100) })}
                >
                  {t('transcript.lowConfidence')}
                </span>
              ) : null}
            </div>
            <div className="hc-line__text" data-testid="segment-text">
              {segment.text}
            </div>
          </li>
        );
      })}
      {partials.map((partial) => (
        <li
          key={`partial-${partial.lineId}`}
          className={`hc-line hc-line--${partial.speaker} hc-line--partial`}
          data-testid="transcript-partial"
          data-line-id={partial.lineId}
          data-speaker={partial.speaker}
          aria-live="off"
        >
          <div className="hc-line__meta">
            <span className="hc-line__speaker">{t(speakerLabelKeys[partial.speaker])}</span>
            <span className="hc-line__time">{formatOffset(partial.startMs)}</span>
            <span className="hc-line__partial-label">{t('transcript.partial')}</span>
          </div>
          <div className="hc-line__text" data-testid="partial-text">
            {partial.text}
          </div>
        </li>
      ))}
    </ol>
  );
}
