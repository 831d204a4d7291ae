import { CheckOutlined, EditOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { createContext, useContext, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { DraftFieldName } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import { useI18n } from '../../i18n';
import { confidencePercent, evidenceOf, isWeakProposal, type AnyFieldProposal, type DraftReview } from './draft-review';
import { draftFieldAttribute } from './focus-draft-field';
import { describeProposedValue } from './proposal-text';

/** What every proposed field of the form needs from the work order; provided once by the form. */
export interface DraftReviewActions {
  review: DraftReview;
  locked: boolean;
  confirmField(field: DraftFieldName): void;
  takeNewerProposal(field: DraftFieldName): void;
  /** The field under the pointer, or null when the pointer leaves it. */
  onHover(field: DraftFieldName | null): void;
  /** The field holding the keyboard focus, or null when the focus leaves it. */
  onFocusChange(field: DraftFieldName | null): void;
}

const DraftReviewContext = createContext<DraftReviewActions | null>(null);
export const DraftReviewProvider = DraftReviewContext.Provider;

function useDraftReviewActions(): DraftReviewActions {
  const actions = useContext(DraftReviewContext);
  if (!actions) throw new Error('DraftFieldFrame must be used inside <DraftReviewProvider>');
  return actions;
}

function proposalHint(proposal: AnyFieldProposal, t: ReturnType<typeof useI18n>['t']): string {
  const percent = confidencePercent(proposal.confidence);
  if (proposal.source === 'line') return t('draft.lineHint');
  return t(isWeakProposal(proposal) ? 'draft.weakHint' : 'draft.proposedHint', { percent });
}

/** An open dropdown (select, cascader) keeps Enter for choosing its highlighted option. */
function dropdownIsOpen(target: EventTarget): boolean {
  return target instanceof HTMLElement && target.getAttribute('aria-expanded') === 'true';
}

/**
 * One proposed field of the work order (or a block of inputs that make one field, like the address):
 * tinted with its confidence while the operator has not looked at it, plain with a small mark once
 * confirmed or edited. Enter or Tab in it accepts the proposal; typing edits it (the form reports
 * that); Alt+Enter takes a newer proposal offered beside it. Pointer and focus on it show its
 * evidence in the transcript.
 */
export function DraftFieldFrame({ field, children, footer }: { field: DraftFieldName; children: ReactNode; footer?: ReactNode }) {
  const { t } = useI18n();
  const actions = useDraftReviewActions();
  const entry = actions.review[field];
  const { state, proposal, newer } = entry;
  // A confirmed work order is locked: nothing in it is waiting for review any more.
  const waiting = state === 'proposed' && !actions.locked ? proposal : null;
  const proposed = waiting !== null;
  const weak = isWeakProposal(waiting);

  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    // Enter also ends a Chinese input method's composition: that Enter belongs to the input method.
    if (event.nativeEvent.isComposing || event.key === 'Process' || actions.locked) return;
    const modifiers = event.ctrlKey || event.metaKey || event.altKey || event.shiftKey;
    if (event.key === 'Enter' && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && newer) {
      event.preventDefault();
      event.stopPropagation();
      actions.takeNewerProposal(field);
      return;
    }
    if (!proposed) return;
    if (event.key === 'Enter' && !modifiers && !dropdownIsOpen(event.target)) {
      // Accepting must not also press a switch, open a dropdown or add a line to the summary.
      event.preventDefault();
      event.stopPropagation();
      actions.confirmField(field);
    } else if (event.key === 'Tab' && !modifiers) {
      // The focus moves on as usual; the field the operator tabbed through is accepted.
      actions.confirmField(field);
    }
  };

  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) actions.onFocusChange(null);
  };

  const classes = ['hc-draft', `hc-draft--${proposed ? 'proposed' : state}`, weak ? 'hc-draft--weak' : ''].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      {...{ [draftFieldAttribute]: field }}
      data-testid={`draft-${field}`}
      data-review-state={state}
      data-confidence={proposal?.confidence ?? ''}
      data-source={proposal?.source ?? ''}
      data-evidence={JSON.stringify(evidenceOf(entry))}
      data-has-newer={newer !== null}
      onKeyDownCapture={onKeyDownCapture}
      onFocus={() => actions.onFocusChange(field)}
      onBlur={onBlur}
      onMouseEnter={() => actions.onHover(field)}
      onMouseLeave={() => actions.onHover(null)}
    >
      {waiting ? (
        <span className="hc-draft__tag" title={proposalHint(waiting, t)} data-testid="proposal-tag">
          {t('draft.proposedTag', { percent: confidencePercent(waiting.confidence) })}
        </span>
      ) : state === 'confirmed' ? (
        <CheckOutlined className="hc-draft__mark" title={t('draft.confirmed')} aria-label={t('draft.confirmed')} data-testid="review-mark" />
      ) : state === 'edited' ? (
        <EditOutlined className="hc-draft__mark" title={t('draft.edited')} aria-label={t('draft.edited')} data-testid="review-mark" />
      ) : null}
      {children}
      {footer}
      {newer && !actions.locked ? (
        <div className="hc-draft__newer" data-testid={`newer-${field}`}>
          <span className="hc-draft__newer-text">
            {t('draft.newer', {
              value: describeProposedValue(field, newer.value, t),
              percent: confidencePercent(newer.confidence),
            })}
          </span>
          <Button size="small" onClick={() => actions.takeNewerProposal(field)} title={t('draft.takeNewerHint')} data-testid={`take-newer-${field}`}>
            {t('draft.takeNewer')} <Kbd>Alt+Enter</Kbd>
          </Button>
        </div>
      ) : null}
    </div>
  );
}
