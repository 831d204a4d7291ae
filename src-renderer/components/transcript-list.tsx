import { Tag } from 'antd';
import type { PartialTranscript, TranscriptSegment } from '../../src-main/contract';
import { segmentSourceLabelKeys, speakerLabelKeys, useI18n } from '../i18n';
import { formatOffset } from '../shared/format';
import { markedParts, type CharacterRange } from '../shared/text-spans';

/** Below this, a recognised line is marked as uncertain. */
export const lowConfidence = 0.5;

export function isLowConfidence(segment: TranscriptSegment): boolean {
  return segment.source === 'asr' && segment.confidence !== null && segment.confidence < lowConfidence;
}

const noRanges: ReadonlyMap<string, CharacterRange[]> = new Map();

/** A line's text, with the characters a proposal rests on marked. */
function SegmentText({ text, ranges }: { text: string; ranges: CharacterRange[] | undefined }) {
  if (!ranges) return <>{text}</>;
  return (
    <>
      {markedParts(text, ranges).map((part, index) =>
        part.marked ? (
          <mark key={index} className="hc-evidence" data-testid="evidence-mark">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

/**
 * Transcript lines in the order given, caller and operator told apart by label and colour;
 * recognised lines the recogniser was unsure of are marked quietly. A live call also passes the
 * text of utterances still being spoken, shown lighter under the last line, and the evidence of the
 * work-order field the operator is looking at, marked in its lines.
 */
export function TranscriptList({
  segments,
  partials = [],
  evidence = noRanges,
  testId = 'transcript-list',
}: {
  segments: TranscriptSegment[];
  partials?: PartialTranscript[];
  /** Character ranges to mark, by segment id. */
  evidence?: ReadonlyMap<string, CharacterRange[]>;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <ol className="hc-transcript" data-testid={testId}>
      {segments.map((segment) => {
        const unsure = isLowConfidence(segment);
        const ranges = evidence.get(segment.id);
        return (
          <li
            key={segment.id}
            className={`hc-line hc-line--${segment.speaker}${unsure ? ' hc-line--unsure' : ''}${ranges ? ' hc-line--evidence' : ''}`}
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
              <SegmentText text={segment.text} ranges={ranges} />
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
