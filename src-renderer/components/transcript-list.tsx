import { Tag } from 'antd';
import type { TranscriptSegment } from '../../src-main/contract';
import { segmentSourceLabelKeys, speakerLabelKeys, useI18n } from '../i18n';
import { formatOffset } from '../shared/format';

/** Transcript lines in the order given, caller and operator told apart by label and colour. */
export function TranscriptList({ segments, testId = 'transcript-list' }: { segments: TranscriptSegment[]; testId?: string }) {
  const { t } = useI18n();
  return (
    <ol className="hc-transcript" data-testid={testId}>
      {segments.map((segment) => (
        <li
          key={segment.id}
          className={`hc-line hc-line--${segment.speaker}`}
          data-testid="transcript-segment"
          data-segment-id={segment.id}
          data-speaker={segment.speaker}
          data-source={segment.source}
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
          </div>
          <div className="hc-line__text" data-testid="segment-text">
            {segment.text}
          </div>
        </li>
      ))}
    </ol>
  );
}
