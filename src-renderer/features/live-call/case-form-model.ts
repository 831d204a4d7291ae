import type {
  AppealType,
  Case,
  CaseFields,
  CaseFieldsInput,
  FieldIssue,
  FollowUpMethod,
  Gender,
  ReferenceSnapshot,
  UrgencyLevel,
} from '../../../src-main/contract';

/** What the antd form holds: empty selections are `undefined` so the placeholders show. */
export interface CaseFormValues {
  callerPhone: string;
  contactPhone: string;
  callerName: string;
  callerGender: Gender;
  anonymous: boolean;
  address: {
    district: string;
    street: string;
    community: string;
    estate: string;
    detail: string;
    divisionCode: string | null;
  };
  appealType: AppealType | undefined;
  category: string[] | undefined;
  urgency: UrgencyLevel | undefined;
  department: string | undefined;
  summary: string;
  duplicateOfCode: string;
  followUp: { wanted: boolean; method: FollowUpMethod; note: string };
  resolvedOnCall: boolean;
  /** What the operator told the caller (答复内容). */
  answer: string;
  /** Knowledge-base articles the answer cites, with the version that was read out. */
  citedArticles: CitedArticle[];
}

export type CitedArticle = CaseFields['citedArticles'][number];

export function emptyCaseFormValues(): CaseFormValues {
  return {
    callerPhone: '',
    contactPhone: '',
    callerName: '',
    callerGender: 'unknown',
    anonymous: false,
    address: { district: '', street: '', community: '', estate: '', detail: '', divisionCode: null },
    appealType: undefined,
    category: undefined,
    urgency: undefined,
    department: undefined,
    summary: '',
    duplicateOfCode: '',
    followUp: { wanted: false, method: 'none', note: '' },
    resolvedOnCall: false,
    answer: '',
    citedArticles: [],
  };
}

/** Every field path the form shows, in the contract's dotted notation. */
export const caseFormFieldPaths = [
  'callerPhone',
  'contactPhone',
  'callerName',
  'callerGender',
  'anonymous',
  'address.district',
  'address.street',
  'address.community',
  'address.estate',
  'address.detail',
  'address.divisionCode',
  'appealType',
  'category',
  'urgency',
  'department',
  'summary',
  'duplicateOfCode',
  'followUp.wanted',
  'followUp.method',
  'followUp.note',
  'resolvedOnCall',
  'answer',
  'citedArticles',
] as const;
export type CaseFormFieldPath = (typeof caseFormFieldPaths)[number];

const text = (value: string | undefined | null) => (value ?? '').trim();
const textOrNull = (value: string | undefined | null) => {
  const trimmed = text(value);
  return trimmed === '' ? null : trimmed;
};

/** Form values as the contract's `fields`; a half-filled form is fine for a draft. */
export function toCaseFields(values: CaseFormValues): CaseFieldsInput {
  const fallback = emptyCaseFormValues();
  const address = { ...fallback.address, ...values.address };
  const followUp = { ...fallback.followUp, ...values.followUp };
  return {
    callerPhone: text(values.callerPhone),
    contactPhone: text(values.contactPhone),
    callerName: text(values.callerName),
    callerGender: values.callerGender ?? 'unknown',
    anonymous: Boolean(values.anonymous),
    address: {
      district: text(address.district),
      street: text(address.street),
      community: text(address.community),
      estate: text(address.estate),
      detail: text(address.detail),
      divisionCode: address.divisionCode ?? null,
    },
    appealType: values.appealType ?? null,
    category: values.category && values.category.length > 0 ? values.category : null,
    urgency: values.urgency ?? null,
    department: textOrNull(values.department),
    summary: values.summary ?? '',
    duplicateOfCode: textOrNull(values.duplicateOfCode),
    followUp: {
      wanted: Boolean(followUp.wanted),
      method: followUp.method ?? 'none',
      note: text(followUp.note),
    },
    resolvedOnCall: Boolean(values.resolvedOnCall),
    answer: values.answer ?? '',
    citedArticles: (values.citedArticles ?? []).map(({ id, title, version }) => ({ id, title, version })),
  };
}

export function fromCase(saved: Case): CaseFormValues {
  return {
    callerPhone: saved.callerPhone,
    contactPhone: saved.contactPhone,
    callerName: saved.callerName,
    callerGender: saved.callerGender,
    anonymous: saved.anonymous,
    address: { ...saved.address },
    appealType: saved.appealType ?? undefined,
    category: saved.category ?? undefined,
    urgency: saved.urgency ?? undefined,
    department: saved.department ?? undefined,
    summary: saved.summary,
    duplicateOfCode: saved.duplicateOfCode ?? '',
    followUp: { ...saved.followUp },
    resolvedOnCall: saved.resolvedOnCall,
    answer: saved.answer ?? '',
    citedArticles: (saved.citedArticles ?? []).map((cited) => ({ ...cited })),
  };
}

export interface PlacedIssues {
  /** Issues for a field the form shows, keyed by its dotted path. */
  byField: Map<CaseFormFieldPath, FieldIssue[]>;
  /** Issues the form has no field for; shown above the form so none is lost. */
  unplaced: FieldIssue[];
}

/**
 * Maps the server's field paths (`callerPhone`, `address.district`, `category.0`, maybe with a
 * `fields.` prefix from the request envelope) to the form field that shows them.
 */
export function placeFieldIssues(issues: FieldIssue[]): PlacedIssues {
  const known = new Set<string>(caseFormFieldPaths);
  const byField = new Map<CaseFormFieldPath, FieldIssue[]>();
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    let parts = issue.field.split('.').filter((part) => part !== '');
    if (parts[0] === 'fields') parts = parts.slice(1);
    let target: CaseFormFieldPath | null = null;
    while (parts.length > 0) {
      const candidate = parts.join('.');
      if (known.has(candidate)) {
        target = candidate as CaseFormFieldPath;
        break;
      }
      parts = parts.slice(0, -1);
    }
    if (target) byField.set(target, [...(byField.get(target) ?? []), issue]);
    else unplaced.push(issue);
  }
  return { byField, unplaced };
}

export function pathToName(path: CaseFormFieldPath): string[] {
  return path.split('.');
}

/** Hours to the deadline for this urgency, from the rule for the first-level category or '*'. */
export function deadlineHours(
  reference: ReferenceSnapshot | null,
  urgency: UrgencyLevel | undefined,
  category: string[] | undefined,
): number | null {
  if (!reference || !urgency) return null;
  const topLevel = category?.[0];
  const rules = reference.serviceLevels.filter((rule) => rule.urgency === urgency);
  const specific = topLevel ? rules.find((rule) => rule.category === topLevel) : undefined;
  const general = rules.find((rule) => rule.category === '*');
  return (specific ?? general)?.hours ?? null;
}

/** The department that usually handles this first-level category, if the reference names one. */
export function suggestedDepartment(reference: ReferenceSnapshot | null, category: string[] | undefined): string | null {
  const topLevel = category?.[0];
  if (!reference || !topLevel) return null;
  return reference.departments.find((department) => department.categories.includes(topLevel))?.name ?? null;
}

/** Keeps the article list of a citation list free of repeats; a newer version replaces the older. */
export function addCitation(list: readonly CitedArticle[], article: CitedArticle): CitedArticle[] {
  const index = list.findIndex((cited) => cited.id === article.id);
  if (index === -1) return [...list, { id: article.id, title: article.title, version: article.version }];
  const next = [...list];
  next[index] = { id: article.id, title: article.title, version: article.version };
  return next;
}

/** `existing` with `addition` appended after a blank line; what is there is kept exactly as typed. */
export function appendParagraph(existing: string, addition: string): string {
  if (existing === '') return addition;
  if (existing.trim() === '' || existing.endsWith('\n\n')) return `${existing}${addition}`;
  return `${existing}${existing.endsWith('\n') ? '\n' : '\n\n'}${addition}`;
}
