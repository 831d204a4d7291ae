import { App, Form, type FormInstance } from 'antd';
import { useCallback, useRef, useState } from 'react';
import type { AddressSuggestion, Case, FieldIssue, maxAnswerLength, ReferenceSnapshot } from '../../../src-main/contract';
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

/**
 * What became of an insertion from the knowledge base: done; the case is confirmed and locked;
 * the text was already in the answer (only the citation was recorded); or the answer would grow
 * past its limit (nothing changed).
 */
export type InsertOutcome = 'inserted' | 'locked' | 'already-there' | 'too-long';

// The contract's constant may not be imported at run time; the type keeps this copy honest.
export const answerLimit: typeof maxAnswerLength = 4000;

type FieldName = Parameters<FormInstance<CaseFormValues>['setFields']>[0][number]['name'];

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
  // Refs mirror the state for the async paths and the keyboard shortcuts, which must see the
  // latest values without waiting for a render.
  const savedCaseRef = useRef<Case | null>(null);
  const busyRef = useRef(false);
  const callIdRef = useRef<string | null>(null);
  const departmentTouched = useRef(false);

  const locked = savedCase?.state === 'confirmed';

  const markDirty = useCallback((value: boolean) => {
    setDirty(value);
  }, []);

  const clearIssues = useCallback(() => {
    const withErrors = form.getFieldsError().filter((field) => field.errors.length > 0);
    if (withErrors.length > 0) form.setFields(withErrors.map((field) => ({ name: field.name as FieldName, errors: [] })));
    setUnplacedIssues([]);
  }, [form]);

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
      busyRef.current = true;
      setBusy(mode);
      try {
        const values = form.getFieldsValue(true) as CaseFormValues;
        const request = {
          caseId: savedCaseRef.current?.id ?? null,
          callId: callIdRef.current,
          fields: toCaseFields(values),
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
        } else {
          reportError(error);
        }
        return null;
      } finally {
        busyRef.current = false;
        setBusy(null);
      }
    },
    [api, clearIssues, form, markDirty, message, reportError, showIssues, t],
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
      setGeneration((current) => current + 1);
      markDirty(false);
    },
    [form, markDirty],
  );

  const attachToCall = useCallback((id: string | null) => {
    callIdRef.current = id;
    setCallId(id);
  }, []);

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
        setDepartmentSuggested(false);
      }
      if ('category' in changed && !departmentTouched.current) {
        const suggestion = suggestedDepartment(reference, changed.category);
        if (suggestion) {
          form.setFieldValue('department', suggestion);
          setDepartmentSuggested(true);
        }
      }
      if (changed.followUp && 'wanted' in changed.followUp) {
        const method = form.getFieldValue(['followUp', 'method']) as string;
        if (changed.followUp.wanted && method === 'none') form.setFieldValue(['followUp', 'method'], 'phone');
        if (!changed.followUp.wanted) form.setFieldValue(['followUp', 'method'], 'none');
      }
    },
    [form, markDirty, reference],
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
    },
    [form, markDirty],
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
