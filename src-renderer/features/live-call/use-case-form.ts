import { App, Form, type FormInstance } from 'antd';
import { useCallback, useRef, useState } from 'react';
import type {
  AddressSuggestion,
  Case,
  CaseDraft,
  DraftFieldName,
  DraftProposals,
  FieldIssue,
  maxAnswerLength,
  ReferenceSnapshot,
} from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { ApiError } from '../../api/client';
import { hasMessage, useI18n } from '../../i18n';
import { useErrorReporter } from '../../shared/use-error-reporter';
import {
  addCitation,
  appendParagraph,
  emptyCaseFormValues,
  pathToName,
  placeFieldIssues,
  suggestedDepartment,
  toCaseFields,
  type CaseFormValues,
  type CitedArticle,
} from './case-form-model';
import {
  confirmField as confirmReviewedField,
  draftFieldOrder,
  emptyDraftReview,
  isDraftField,
  isNewerDraft,
  lineNumberProposal,
  mergeProposals,
  pendingFields,
  recordOperatorChange,
  reviewForRequest,
  takeNewerProposal,
  type DraftFormValues,
  type DraftReview,
} from './draft-review';
import { focusDraftField } from './focus-draft-field';

/**
 * What became of an insertion from the knowledge base: done; the case is confirmed and locked;
 * the text was already in the answer (only the citation was recorded); or the answer would grow
 * past its limit (nothing changed).
 */
export type InsertOutcome = 'inserted' | 'locked' | 'already-there' | 'too-long';

// The contract's constant may not be imported at run time; the type keeps this copy honest.
export const answerLimit: typeof maxAnswerLength = 4000;

type FieldName = Parameters<FormInstance<CaseFormValues>['setFields']>[0][number]['name'];

/** Where a proposed field's messages are shown: a block of inputs shows them under its first one. */
const draftFieldMessagePaths: Record<DraftFieldName, string[]> = {
  ...(Object.fromEntries(draftFieldOrder.map((field) => [field, [field]])) as Record<DraftFieldName, string[]>),
  address: ['address', 'district'],
  followUp: ['followUp', 'wanted'],
};

export interface CaseFormController {
  form: FormInstance<CaseFormValues>;
  savedCase: Case | null;
  locked: boolean;
  busy: 'saving' | 'confirming' | null;
  dirty: boolean;
  unplacedIssues: FieldIssue[];
  departmentSuggested: boolean;
  /** Changes on every reset, so that widgets with their own state (the address search) start afresh. */
  generation: number;
  /** The call this work order belongs to, if any. */
  callId: string | null;
  attachToCall(callId: string | null): void;
  onValuesChange(changed: Partial<CaseFormValues>): void;
  pickAddress(suggestion: AddressSuggestion): void;
  saveDraft(): Promise<Case | null>;
  confirm(): Promise<Case | null>;
  reset(prefill?: Partial<CaseFormValues>): void;
  /**
   * Appends `text` to the answer (after a blank line when something is there; never replacing
   * it) and records the article among the citations.
   */
  insertIntoAnswer(article: CitedArticle, text: string): InsertOutcome;

  // ---- the console's proposals ----
  /** Where each proposed field stands with the operator. */
  review: DraftReview;
  /** The latest draft taken in for this call (its deadline, repeat candidates, model version). */
  draft: CaseDraft | null;
  /** Proposed fields not yet reviewed, in form order: confirmation waits for none. */
  pending: DraftFieldName[];
  /** Fields the service refused to confirm as unreviewed (if that ever gets past the form's own check). */
  refusedAsUnreviewed: DraftFieldName[];
  /** Takes in a draft of this call's work order; older ones and other calls' are ignored. */
  applyDraft(draft: CaseDraft): void;
  /** The telephony line's number, proposed for the caller phone. */
  proposeCallerLine(callerLine: string): void;
  confirmField(field: DraftFieldName): void;
  takeNewerProposal(field: DraftFieldName): void;
  /** The operator picks another of the category model's candidates. */
  chooseCategory(path: string[]): void;
  focusFirstPending(): void;
  /** Records the new case as a duplicate of an earlier one (the operator's decision). */
  linkDuplicate(code: string): void;
}

export function useCaseForm(reference: ReferenceSnapshot | null): CaseFormController {
  const api = useApi();
  const { message } = App.useApp();
  const { t } = useI18n();
  const reportError = useErrorReporter();
  const [form] = Form.useForm<CaseFormValues>();
  const [savedCase, setSavedCase] = useState<Case | null>(null);
  const [busy, setBusy] = useState<'saving' | 'confirming' | null>(null);
  const [dirty, setDirty] = useState(false);
  const [unplacedIssues, setUnplacedIssues] = useState<FieldIssue[]>([]);
  const [departmentSuggested, setDepartmentSuggested] = useState(false);
  const [callId, setCallId] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [review, setReview] = useState<DraftReview>(emptyDraftReview);
  const [draft, setDraft] = useState<CaseDraft | null>(null);
  const [refusedAsUnreviewed, setRefusedAsUnreviewed] = useState<DraftFieldName[]>([]);
  // Refs mirror the state for the async paths and the keyboard shortcuts, which must see the
  // latest values without waiting for a render.
  const savedCaseRef = useRef<Case | null>(null);
  const busyRef = useRef(false);
  const callIdRef = useRef<string | null>(null);
  const departmentTouched = useRef(false);
  /** The department was filled from the category's usual handler, not chosen by anyone. */
  const departmentFromCategory = useRef(false);
  const reviewRef = useRef<DraftReview>(review);
  const draftRef = useRef<CaseDraft | null>(null);

  const locked = savedCase?.state === 'confirmed';

  const markDirty = useCallback((value: boolean) => {
    setDirty(value);
  }, []);

  const clearIssues = useCallback(() => {
    const withErrors = form.getFieldsError().filter((field) => field.errors.length > 0);
    if (withErrors.length > 0) form.setFields(withErrors.map((field) => ({ name: field.name as FieldName, errors: [] })));
    setUnplacedIssues([]);
    setRefusedAsUnreviewed([]);
  }, [form]);

  const updateReview = useCallback((next: DraftReview) => {
    reviewRef.current = next;
    setReview(next);
  }, []);

  /** The operator has dealt with these fields: a refusal that named them no longer applies. */
  const settleRefusal = useCallback(
    (fields: DraftFieldName[]) => {
      const withErrors = fields.map((field) => draftFieldMessagePaths[field]).filter((path) => form.getFieldError(path as FieldName).length > 0);
      if (withErrors.length > 0) form.setFields(withErrors.map((path) => ({ name: path as FieldName, errors: [] })));
      setRefusedAsUnreviewed((previous) => previous.filter((field) => !fields.includes(field)));
    },
    [form],
  );

  const focusFirstPending = useCallback(() => {
    const first = pendingFields(reviewRef.current)[0];
    if (first) focusDraftField(first);
  }, []);

  const showUnreviewed = useCallback(
    (issues: FieldIssue[]) => {
      const fields = issues.map((issue) => issue.field).filter(isDraftField);
      form.setFields(fields.map((field) => ({ name: draftFieldMessagePaths[field] as FieldName, errors: [t('issue.unreviewed')] })));
      setRefusedAsUnreviewed(fields);
      if (fields[0]) focusDraftField(fields[0]);
    },
    [form, t],
  );

  const issueText = useCallback(
    (issue: FieldIssue) => {
      const key = `issue.${issue.issue}`;
      return hasMessage(key) ? t(key) : issue.message || issue.issue;
    },
    [t],
  );

  const showIssues = useCallback(
    (issues: FieldIssue[]) => {
      const { byField, unplaced } = placeFieldIssues(issues);
      form.setFields(
        [...byField.entries()].map(([path, fieldIssues]) => ({
          name: pathToName(path) as FieldName,
          errors: fieldIssues.map(issueText),
        })),
      );
      setUnplacedIssues(unplaced);
      const first = [...byField.keys()][0];
      if (first) form.scrollToField(pathToName(first) as FieldName, { block: 'center' });
      message.warning({ content: t('form.validationFailed', { count: issues.length }), key: 'form-validation' });
    },
    [form, issueText, message, t],
  );

  const submit = useCallback(
    async (mode: 'saving' | 'confirming'): Promise<Case | null> => {
      if (busyRef.current || savedCaseRef.current?.state === 'confirmed') return null;
      const pending = pendingFields(reviewRef.current);
      if (mode === 'confirming' && pending.length > 0) {
        // Nothing the console proposed leaves unreviewed: take the operator to what is left.
        message.warning({ content: t('draft.confirmBlocked', { count: pending.length }), key: 'form-validation' });
        focusFirstPending();
        return null;
      }
      busyRef.current = true;
      setBusy(mode);
      try {
        const values = form.getFieldsValue(true) as CaseFormValues;
        const request = {
          caseId: savedCaseRef.current?.id ?? null,
          callId: callIdRef.current,
          fields: toCaseFields(values),
          review: reviewForRequest(reviewRef.current),
        };
        const saved =
          mode === 'saving' ? await api.call('cases.saveDraft', request) : await api.call('cases.confirm', request);
        savedCaseRef.current = saved;
        setSavedCase(saved);
        clearIssues();
        markDirty(false);
        message.success({
          content: t(mode === 'saving' ? 'form.saved' : 'form.confirmed', { code: saved.code }),
          key: 'form-saved',
        });
        return saved;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'VALIDATION_FAILED' && error.info.fieldIssues?.length) {
          clearIssues();
          showIssues(error.info.fieldIssues);
        } else if (error instanceof ApiError && error.code === 'UNREVIEWED_PROPOSALS') {
          clearIssues();
          showUnreviewed(error.info.fieldIssues ?? []);
          message.warning({ content: t('error.UNREVIEWED_PROPOSALS'), key: 'form-validation' });
        } else {
          reportError(error);
        }
        return null;
      } finally {
        busyRef.current = false;
        setBusy(null);
      }
    },
    [api, clearIssues, focusFirstPending, form, markDirty, message, reportError, showIssues, showUnreviewed, t],
  );

  const saveDraft = useCallback(() => submit('saving'), [submit]);
  const confirm = useCallback(() => submit('confirming'), [submit]);

  const reset = useCallback(
    (prefill: Partial<CaseFormValues> = {}) => {
      form.resetFields();
      form.setFieldsValue({ ...emptyCaseFormValues(), ...prefill });
      savedCaseRef.current = null;
      setSavedCase(null);
      setUnplacedIssues([]);
      setDepartmentSuggested(false);
      departmentTouched.current = false;
      departmentFromCategory.current = false;
      updateReview(emptyDraftReview());
      draftRef.current = null;
      setDraft(null);
      setRefusedAsUnreviewed([]);
      setGeneration((current) => current + 1);
      markDirty(false);
    },
    [form, markDirty, updateReview],
  );

  const attachToCall = useCallback((id: string | null) => {
    callIdRef.current = id;
    setCallId(id);
  }, []);

  /** The department a category usually goes to, unless someone (operator or draft) has a say on it. */
  const suggestDepartmentFor = useCallback(
    (category: string[] | undefined) => {
      if (departmentTouched.current || reviewRef.current.department.state !== 'none') return;
      const suggestion = suggestedDepartment(reference, category);
      if (!suggestion) return;
      form.setFieldValue('department', suggestion);
      departmentFromCategory.current = true;
      setDepartmentSuggested(true);
    },
    [form, reference],
  );

  /** The operator changed these proposed fields: each is now confirmed or edited, by its value. */
  const recordChanges = useCallback(
    (fields: DraftFieldName[]) => {
      let next = reviewRef.current;
      for (const field of fields) next = recordOperatorChange(next, field, form.getFieldValue(field));
      if (next !== reviewRef.current) updateReview(next);
      settleRefusal(fields);
    },
    [form, settleRefusal, updateReview],
  );

  const onValuesChange = useCallback(
    (changed: Partial<CaseFormValues>) => {
      markDirty(true);
      // An error the server reported for a field goes away once the operator edits that field.
      const edited = changedFieldNames(changed).filter((name) => form.getFieldError(name as FieldName).length > 0);
      if (edited.length > 0) form.setFields(edited.map((name) => ({ name: name as FieldName, errors: [] })));
      if (changed.address && ('district' in changed.address || 'street' in changed.address)) {
        // Typed by hand, the address is no longer the standardised one the code stood for.
        form.setFieldValue(['address', 'divisionCode'], null);
      }
      if ('department' in changed) {
        departmentTouched.current = true;
        departmentFromCategory.current = false;
        setDepartmentSuggested(false);
      }
      if ('category' in changed) suggestDepartmentFor(changed.category);
      if (changed.followUp && 'wanted' in changed.followUp) {
        const method = form.getFieldValue(['followUp', 'method']) as string;
        if (changed.followUp.wanted && method === 'none') form.setFieldValue(['followUp', 'method'], 'phone');
        if (!changed.followUp.wanted) form.setFieldValue(['followUp', 'method'], 'none');
      }
      recordChanges(Object.keys(changed).filter(isDraftField));
    },
    [form, markDirty, recordChanges, suggestDepartmentFor],
  );

  const pickAddress = useCallback(
    (suggestion: AddressSuggestion) => {
      form.setFieldValue(['address', 'district'], suggestion.district);
      form.setFieldValue(['address', 'street'], suggestion.street);
      form.setFieldValue(['address', 'divisionCode'], suggestion.code);
      form.setFields([
        { name: ['address', 'district'], errors: [] },
        { name: ['address', 'street'], errors: [] },
      ]);
      markDirty(true);
      recordChanges(['address']);
    },
    [form, markDirty, recordChanges],
  );

  const insertIntoAnswer = useCallback(
    (article: CitedArticle, text: string): InsertOutcome => {
      if (savedCaseRef.current?.state === 'confirmed') return 'locked';
      const current = (form.getFieldValue('answer') as string | undefined) ?? '';
      const cited = (form.getFieldValue('citedArticles') as CitedArticle[] | undefined) ?? [];
      const present = text.trim() !== '' && current.includes(text.trim());
      const next = present ? current : appendParagraph(current, text);
      if (next.length > answerLimit) return 'too-long';
      form.setFieldValue('answer', next);
      form.setFieldValue('citedArticles', addCitation(cited, article));
      if (form.getFieldError('answer').length > 0 || form.getFieldError('citedArticles').length > 0) {
        form.setFields([
          { name: 'answer', errors: [] },
          { name: 'citedArticles', errors: [] },
        ]);
      }
      markDirty(true);
      return present ? 'already-there' : 'inserted';
    },
    [form, markDirty],
  );

  const applyProposals = useCallback(
    (proposals: Partial<DraftProposals>) => {
      const values = form.getFieldsValue(true) as CaseFormValues;
      const current = Object.fromEntries(draftFieldOrder.map((field) => [field, values[field]])) as DraftFormValues;
      // A department filled in from the category was nobody's choice: a proposal may take its place.
      if (departmentFromCategory.current) current.department = undefined;
      const { review: next, patch } = mergeProposals(reviewRef.current, proposals, current);
      if (Object.keys(patch).length > 0) form.setFieldsValue(patch);
      if ('department' in patch) {
        departmentFromCategory.current = false;
        setDepartmentSuggested(false);
      }
      updateReview(next);
    },
    [form, updateReview],
  );

  const applyDraft = useCallback(
    (next: CaseDraft) => {
      if (savedCaseRef.current?.state === 'confirmed' || next.callId !== callIdRef.current) return;
      if (!isNewerDraft(draftRef.current, next)) return;
      draftRef.current = next;
      setDraft(next);
      applyProposals(next.fields);
    },
    [applyProposals],
  );

  const proposeCallerLine = useCallback(
    (callerLine: string) => applyProposals({ callerPhone: lineNumberProposal(callerLine) }),
    [applyProposals],
  );

  const confirmField = useCallback(
    (field: DraftFieldName) => {
      if (reviewRef.current[field].state !== 'proposed') return;
      updateReview(confirmReviewedField(reviewRef.current, field));
      settleRefusal([field]);
      markDirty(true);
    },
    [markDirty, settleRefusal, updateReview],
  );

  const takeNewer = useCallback(
    (field: DraftFieldName) => {
      const { review: next, patch } = takeNewerProposal(reviewRef.current, field);
      if (Object.keys(patch).length === 0) return;
      form.setFieldsValue(patch);
      updateReview(next);
      settleRefusal([field]);
      markDirty(true);
    },
    [form, markDirty, settleRefusal, updateReview],
  );

  const chooseCategory = useCallback(
    (path: string[]) => {
      form.setFieldValue('category', path);
      if (form.getFieldError('category').length > 0) form.setFields([{ name: 'category', errors: [] }]);
      recordChanges(['category']);
      suggestDepartmentFor(path);
      markDirty(true);
    },
    [form, markDirty, recordChanges, suggestDepartmentFor],
  );

  const linkDuplicate = useCallback(
    (code: string) => {
      if (savedCaseRef.current?.state === 'confirmed') return;
      form.setFieldValue('duplicateOfCode', code);
      if (form.getFieldError('duplicateOfCode').length > 0) form.setFields([{ name: 'duplicateOfCode', errors: [] }]);
      markDirty(true);
    },
    [form, markDirty],
  );

  return {
    form,
    savedCase,
    locked,
    busy,
    dirty,
    unplacedIssues,
    departmentSuggested,
    generation,
    callId,
    attachToCall,
    onValuesChange,
    pickAddress,
    saveDraft,
    confirm,
    reset,
    insertIntoAnswer,
    review,
    draft,
    pending: pendingFields(review),
    refusedAsUnreviewed,
    applyDraft,
    proposeCallerLine,
    confirmField,
    takeNewerProposal: takeNewer,
    chooseCategory,
    focusFirstPending,
    linkDuplicate,
  };
}

/** `{ address: { street: 'x' } }` → `[['address', 'street']]`; arrays (the category path) are one field. */
function changedFieldNames(changed: object, prefix: string[] = []): string[][] {
  return Object.entries(changed).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? changedFieldNames(value as object, [...prefix, key])
      : [[...prefix, key]],
  );
}
