import { describe, expect, it } from 'vitest';
import type { CaseDraft, DraftProposals, FieldProposal, ProposedAddress } from '../../../../src-main/contract';
import { emptyCaseFormValues } from '../../../../src-renderer/features/live-call/case-form-model';
import {
  confirmField,
  draftFieldOrder,
  emptyDraftReview,
  evidenceOf,
  isNewerDraft,
  isWeakProposal,
  lineNumberProposal,
  mergeDraft,
  mergeProposals,
  noEvidence,
  pendingFields,
  proposalFormValue,
  recordOperatorChange,
  reviewForRequest,
  takeNewerProposal,
  type DraftFormValues,
  type DraftReview,
} from '../../../../src-renderer/features/live-call/draft-review';

const callId = 'call-1';

function proposal<T>(value: T, confidence = 0.9, segmentId = 'segment-1'): FieldProposal<T> {
  return { value, confidence, evidence: [{ segmentId, start: 0, end: 2 }], source: 'rule:test', alternatives: [] };
}

function noProposals(): DraftProposals {
  return Object.fromEntries(draftFieldOrder.map((field) => [field, null])) as DraftProposals;
}

function draft(fields: Partial<DraftProposals>, segmentCount = 1, generatedAt = '2025-05-01T08:00:00.000Z'): CaseDraft {
  return {
    callId,
    segmentCount,
    fields: { ...noProposals(), ...fields },
    deadline: null,
    repeats: [],
    categoryModelVersion: null,
    generatedAt,
  };
}

function emptyValues(): DraftFormValues {
  const values = emptyCaseFormValues();
  return Object.fromEntries(draftFieldOrder.map((field) => [field, values[field]])) as DraftFormValues;
}

const dongcheng: ProposedAddress = {
  district: '东城区',
  street: '和平里街道',
  community: '',
  estate: '和平里七区',
  detail: '15号楼3单元',
  divisionCode: '110101',
  city: '北京市',
  province: '北京市',
  outsideRegion: false,
};

/** Merges a draft and applies its patch to the values, as the form does. */
function apply(review: DraftReview, values: DraftFormValues, next: CaseDraft) {
  const update = mergeDraft(review, next, values);
  return { review: update.review, values: { ...values, ...update.patch }, patch: update.patch };
}

describe('merging a draft into the work order', () => {
  it('fills empty fields with their proposals, as form values, and leaves them to review', () => {
    const { review, values } = apply(
      emptyDraftReview(),
      emptyValues(),
      draft({ urgency: proposal('极急' as const), address: proposal(dongcheng), category: proposal(['城乡建设', '燃气']) }),
    );
    expect(values.urgency).toBe('极急');
    // The form keeps the parts of the address a case records, with the standardised code.
    expect(values.address).toEqual({ district: '东城区', street: '和平里街道', community: '', estate: '和平里七区', detail: '15号楼3单元', divisionCode: '110101' });
    expect(values.category).toEqual(['城乡建设', '燃气']);
    expect(pendingFields(review)).toEqual(['address', 'category', 'urgency']);
    expect(review.callerName.state).toBe('none');
  });

  it('lets a still-proposed field follow the newest proposal, and empties it when the proposal is withdrawn', () => {
    let state = apply(emptyDraftReview(), emptyValues(), draft({ callerName: proposal('王先生') }, 1));
    state = apply(state.review, state.values, draft({ callerName: proposal('汪先生') }, 2));
    expect(state.values.callerName).toBe('汪先生');
    expect(state.review.callerName.state).toBe('proposed');

    state = apply(state.review, state.values, draft({}, 3));
    expect(state.values.callerName).toBe('');
    expect(state.review.callerName).toEqual({ state: 'none', proposal: null, newer: null });
  });

  it('never overwrites what the operator typed: the different proposal is offered beside it', () => {
    let state = apply(emptyDraftReview(), emptyValues(), draft({ summary: proposal('楼道燃气味大') }, 1));
    const typed = '和平里七区15号楼楼道燃气泄漏，301室敲门无人应';
    state.values = { ...state.values, summary: typed };
    state.review = recordOperatorChange(state.review, 'summary', typed);
    expect(state.review.summary.state).toBe('edited');

    // The same proposal again is not offered: the operator has already set it aside.
    state = apply(state.review, state.values, draft({ summary: proposal('楼道燃气味大') }, 2));
    expect(state.review.summary.newer).toBeNull();

    state = apply(state.review, state.values, draft({ summary: proposal('楼道燃气味大，疑似泄漏') }, 3));
    expect(state.values.summary).toBe(typed);
    expect(state.patch).not.toHaveProperty('summary');
    expect(state.review.summary.state).toBe('edited');
    expect(state.review.summary.newer?.value).toBe('楼道燃气味大，疑似泄漏');

    // A proposal that is withdrawn later leaves the operator's text, and offers nothing.
    state = apply(state.review, state.values, draft({}, 4));
    expect(state.values.summary).toBe(typed);
    expect(state.review.summary.newer).toBeNull();
  });

  it('keeps a confirmed field as confirmed when a later, different proposal comes; one key takes the newer one', () => {
    let state = apply(emptyDraftReview(), emptyValues(), draft({ urgency: proposal('急办' as const) }, 1));
    state.review = confirmField(state.review, 'urgency');
    state = apply(state.review, state.values, draft({ urgency: proposal('极急' as const, 0.95, 'segment-2') }, 2));
    expect(state.values.urgency).toBe('急办');
    expect(state.review.urgency.state).toBe('confirmed');
    expect(state.review.urgency.newer?.value).toBe('极急');
    // The evidence shown is that of the newer proposal: it is what the operator has to judge now.
    expect(evidenceOf(state.review.urgency)[0]?.segmentId).toBe('segment-2');

    const taken = takeNewerProposal(state.review, 'urgency');
    expect(taken.patch).toEqual({ urgency: '极急' });
    expect(taken.review.urgency).toMatchObject({ state: 'confirmed', newer: null, proposal: { value: '极急' } });

    // A proposal that agrees with what the operator kept offers nothing.
    const agreeing = mergeDraft(state.review, draft({ urgency: proposal('急办' as const) }, 3), state.values);
    expect(agreeing.review.urgency.newer).toBeNull();
    expect(agreeing.patch).toEqual({});
  });

  it('treats a value typed before any proposal as the operator’s: confirmed when it agrees, edited when not', () => {
    const values = { ...emptyValues(), callerName: '王先生', contactPhone: '13800001111' };
    const { review, patch } = mergeDraft(
      emptyDraftReview(),
      draft({ callerName: proposal('王先生'), contactPhone: proposal('13800002222') }),
      values,
    );
    expect(patch).toEqual({});
    expect(review.callerName.state).toBe('confirmed');
    expect(review.contactPhone.state).toBe('edited');
    expect(review.contactPhone.newer?.value).toBe('13800002222');
  });

  it('compares values as the form holds them: spaces around text and the division code do not count', () => {
    const values = { ...emptyValues(), address: { ...proposalFormValue('address', dongcheng), detail: ' 15号楼3单元 ', divisionCode: null } };
    const review = recordOperatorChange(
      mergeDraft(emptyDraftReview(), draft({ address: proposal(dongcheng) }), emptyValues()).review,
      'address',
      values.address,
    );
    // Retyping the same address is not an edit of it.
    expect(review.address.state).toBe('confirmed');
  });

  it('takes part of a draft only for the fields it names (the telephony line’s number)', () => {
    const filled = mergeDraft(emptyDraftReview(), draft({ urgency: proposal('极急' as const) }), emptyValues());
    const values = { ...emptyValues(), ...filled.patch };
    const { review, patch } = mergeProposals(filled.review, { callerPhone: lineNumberProposal('13661007788') }, values);
    expect(patch).toEqual({ callerPhone: '13661007788' });
    expect(review.callerPhone).toMatchObject({ state: 'proposed', proposal: { source: 'line', confidence: 1, evidence: [] } });
    expect(review.urgency.state).toBe('proposed');
  });
});

describe('the operator reviewing proposals', () => {
  const proposed = () => mergeDraft(emptyDraftReview(), draft({ callerName: proposal('王先生'), urgency: proposal('极急' as const) }), emptyValues()).review;

  it('confirms only a proposed field', () => {
    const review = confirmField(proposed(), 'callerName');
    expect(review.callerName.state).toBe('confirmed');
    expect(confirmField(review, 'callerName')).toBe(review);
    expect(confirmField(review, 'summary')).toBe(review);
  });

  it('marks a changed field edited, or confirmed when the change leaves the proposal standing', () => {
    let review = recordOperatorChange(proposed(), 'callerName', '王女士');
    expect(review.callerName.state).toBe('edited');
    review = recordOperatorChange(review, 'callerName', '王先生');
    expect(review.callerName.state).toBe('confirmed');
    // A field nobody proposed stays out of the review, whatever the operator types.
    expect(recordOperatorChange(review, 'contactPhone', '010-64701234').contactPhone.state).toBe('none');
  });

  it('stops offering a newer proposal once the operator has typed it', () => {
    let review = recordOperatorChange(proposed(), 'callerName', '王女士');
    review = mergeDraft(review, draft({ callerName: proposal('黄女士') }, 2), { ...emptyValues(), callerName: '王女士' }).review;
    expect(review.callerName.newer?.value).toBe('黄女士');
    review = recordOperatorChange(review, 'callerName', '黄女士');
    expect(review.callerName.newer).toBeNull();
  });

  it('lists what is left to review in form order, and sends every proposed field’s state, never the others', () => {
    let review = proposed();
    expect(pendingFields(review)).toEqual(['callerName', 'urgency']);
    review = confirmField(review, 'urgency');
    review = recordOperatorChange(review, 'callerName', '王女士');
    expect(pendingFields(review)).toEqual([]);
    expect(reviewForRequest(review)).toEqual({ callerName: 'edited', urgency: 'confirmed' });
    expect(reviewForRequest(proposed())).toEqual({ callerName: 'proposed', urgency: 'proposed' });
  });

  it('shows no evidence for a field never proposed, as one shared value', () => {
    expect(evidenceOf(emptyDraftReview().summary)).toBe(noEvidence);
    expect(evidenceOf(proposed().urgency)).toEqual([{ segmentId: 'segment-1', start: 0, end: 2 }]);
  });

  it('calls a proposal weak below one half', () => {
    expect(isWeakProposal(proposal('x', 0.49))).toBe(true);
    expect(isWeakProposal(proposal('x', 0.5))).toBe(false);
    expect(isWeakProposal(null)).toBe(false);
  });
});

describe('which draft is newer', () => {
  it('prefers more segments, then the later generation, and any draft of another call', () => {
    const first = draft({}, 3, '2025-05-01T08:00:00.000Z');
    expect(isNewerDraft(null, first)).toBe(true);
    expect(isNewerDraft(first, draft({}, 2, '2025-05-01T08:00:05.000Z'))).toBe(false);
    expect(isNewerDraft(first, draft({}, 4, '2025-05-01T07:00:00.000Z'))).toBe(true);
    // The same segments drafted again (a new category model): the later one counts.
    expect(isNewerDraft(first, draft({}, 3, '2025-05-01T08:00:01.000Z'))).toBe(true);
    expect(isNewerDraft(first, { ...draft({}, 1), callId: 'call-2' })).toBe(true);
  });
});
