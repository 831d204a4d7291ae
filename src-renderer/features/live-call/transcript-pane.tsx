import { Button } from 'antd';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { PartialTranscript, TranscriptSegment } from '../../../src-main/contract';
import { useI18n } from '../../i18n';
import { TranscriptList } from '../../components/transcript-list';

const bottomSlackPx = 40;

/**
 * Follows new lines only while the operator is at the bottom; someone reading further up is left
 * where they are, with a quiet button to jump down.
 */
export function TranscriptPane({
  callId,
  segments,
  partials,
  emptyText,
  toolbar,
  footer,
}: {
  callId: string | null;
  segments: TranscriptSegment[];
  partials: PartialTranscript[];
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
          <TranscriptList segments={segments} partials={partials} />
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
