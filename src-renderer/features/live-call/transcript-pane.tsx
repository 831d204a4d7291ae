import { Button } from 'antd';
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EvidenceSpan, PartialTranscript, TranscriptSegment } from '../../../src-main/contract';
import { useI18n } from '../../i18n';
import { TranscriptList } from '../../components/transcript-list';
import { rangesBySegment } from '../../shared/text-spans';

const bottomSlackPx = 40;

/**
 * Follows new lines only while the operator is at the bottom; someone reading further up is left
 * where they are, with a quiet button to jump down.
 */
export function TranscriptPane({
  callId,
  segments,
  partials,
  evidence,
  emptyText,
  toolbar,
  footer,
}: {
  callId: string | null;
  segments: TranscriptSegment[];
  partials: PartialTranscript[];
  /** Words a proposed field of the work order rests on: marked, and their first line brought into view. */
  evidence: readonly EvidenceSpan[];
  emptyText: string;
  toolbar: ReactNode;
  footer: ReactNode;
}) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [hasUnseen, setHasUnseen] = useState(false);

  const scrollToEnd = () => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    atBottom.current = true;
    setHasUnseen(false);
  };

  useLayoutEffect(() => {
    atBottom.current = true;
    setHasUnseen(false);
  }, [callId]);

  useLayoutEffect(() => {
    if (segments.length === 0) return;
    if (atBottom.current) scrollToEnd();
    else setHasUnseen(true);
  }, [segments.length]);

  // Partial text grows about every second; it is followed only by someone already at the bottom.
  const partialText = partials.map((partial) => partial.text).join('\n');
  useLayoutEffect(() => {
    if (partialText && atBottom.current) scrollToEnd();
  }, [partialText]);

  const evidenceRanges = useMemo(() => rangesBySegment(evidence), [evidence]);
  // Looking at a field's evidence is a glance back: an operator who was following the call at the
  // bottom is taken back there when the glance ends, so the transcript keeps following.
  const returnToEndAfterEvidence = useRef(false);
  useLayoutEffect(() => {
    const first = evidence[0];
    if (!first) {
      if (returnToEndAfterEvidence.current) scrollToEnd();
      returnToEndAfterEvidence.current = false;
      return;
    }
    const line = scroller.current?.querySelector(`[data-segment-id="${CSS.escape(first.segmentId)}"]`);
    if (!line) return;
    if (atBottom.current) returnToEndAfterEvidence.current = true;
    // 'nearest' leaves a line already in view where it is: nothing moves without need.
    line.scrollIntoView({ block: 'nearest' });
  }, [evidence]);

  return (
    <div className="hc-pane hc-transcript-pane" data-testid="transcript-pane">
      <div className="hc-pane__header">
        <h2 className="hc-pane__title">{t('transcript.title')}</h2>
      </div>
      <div className="hc-pane__toolbar">{toolbar}</div>
      <div
        className="hc-pane__body hc-transcript-scroll"
        ref={scroller}
        data-testid="transcript-scroll"
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= bottomSlackPx;
          if (atBottom.current) setHasUnseen(false);
        }}
      >
        {segments.length === 0 && partials.length === 0 ? (
          <p className="hc-empty-text" data-testid="transcript-empty">
            {emptyText}
          </p>
        ) : (
          <TranscriptList segments={segments} partials={partials} evidence={evidenceRanges} />
        )}
      </div>
      {hasUnseen ? (
        <div className="hc-unseen">
          <Button size="small" onClick={scrollToEnd} data-testid="transcript-jump">
            {t('transcript.newLines')}
          </Button>
        </div>
      ) : null}
      <div className="hc-pane__footer">{footer}</div>
    </div>
  );
}
