import type { CallSuggestions, CaseHit, CaseDraft, CaseSummary, CategoryModelVersion, Hotspot, RepeatCaseCandidate } from '../../contract';
import type { CallService } from '../calls/call-service';
import type { Clock } from '../clock';
import { CoalescingRunner } from '../events/coalescing-runner';
import type { EventBus } from '../events/event-bus';
import type { ReferenceData } from '../reference';
import type { Database } from '../storage/database';
import { estateKey, extractAddress, type AddressParts } from './address-extraction';
import { draftFields, type DraftedFields } from './draft-case';
import type { RoutedPastCase } from './department-routing';
import { findHotspots, type HotspotCase } from './hotspots';
import { findRepeatCandidates, type EarlierCase } from './repeat-cases';
import type { TranscriptLine } from './phone-extraction';
import type { SuggestionLog } from './suggestion-log';
import type { CategoryModelRegistry } from './training/category-model-registry';
import type { TrainedCategoryModel, TrainingRequest } from './training/category-training';

export interface DraftingSettings {
  /** How far back an earlier case counts as a possible repeat. */
  repeatWindowDays: number;
  /** Confirmed cases since the active model was trained that start a retraining. */
  retrainAfterConfirmed: number;
  hotspotWindowDays: number;
  hotspotMinimumCases: number;
  /**
   * Train again at start when the active category model was stored by an earlier console in a
   * format this one cannot read. One-off commands leave it to `train` (or `draft`, which asks for it).
   */
  retrainOutdatedModel: boolean;
}

export const defaultDraftingSettings: DraftingSettings = {
  repeatWindowDays: 30,
  retrainAfterConfirmed: 200,
  hotspotWindowDays: 7,
  hotspotMinimumCases: 3,
  retrainOutdatedModel: true,
};

const dayMs = 86_400_000;
// Surges are judged against the usual count of the weeks before.
const surgeBaselineDays = 28;
// Calls whose latest suggestions are kept (for the department, and to re-draft when the model changes).
const rememberedCalls = 20;
// Earlier cases are read again at most this often during a call (and after every case change).
const earlierCasesLifetimeMs = 60_000;

interface ConsoleCaseRow {
  id: string;
  code: string;
  call_id: string | null;
  caller_phone: string;
  contact_phone: string;
  caller_line: string | null;
  address_district: string;
  address_street: string;
  address_community: string;
  address_estate: string;
  address_detail: string;
  category_path: string | null;
  summary: string;
  answer: string;
  created_at: string;
}

interface ImportedCaseRow {
  id: string;
  title: string;
  body: string;
  category: string;
  address: string;
  reply: string;
  occurred_at: string;
}

/** An earlier case as repeats and hotspots see it, with the label shown to the operator. */
interface KnownCase extends EarlierCase {
  caseId: string | null;
  addressLabel: string;
  summary: string;
}

export interface DraftingServiceOptions {
  database: Database;
  calls: CallService;
  events: EventBus;
  reference: ReferenceData;
  registry: CategoryModelRegistry;
  log: SuggestionLog;
  clock: Clock;
  /** Past cases similar to what was said (the search behind the live suggestions). */
  findSimilarCases: (lines: readonly TranscriptLine[]) => Promise<CaseHit[]>;
  /** Trains a category-model version away from the event loop. */
  train: (request: TrainingRequest) => Promise<TrainedCategoryModel>;
  settings?: Partial<DraftingSettings>;
}

/**
 * The drafted work order: after each utterance (once its suggestions are in, which give the similar
 * past cases), the call's fields are proposed again and pushed as `onDraftUpdated`; confirmed cases
 * feed hotspots and, in numbers, a retraining of the category model.
 */
export class DraftingService {
  private readonly settings: DraftingSettings;
  private readonly refresher = new CoalescingRunner(
    async (callId) => {
      const draft = await this.forCall(callId);
      this.options.events.emit('onDraftUpdated', draft);
      await this.options.log.recordProposals(draft);
    },
    (callId) => `drafting for call ${callId}`,
  );
  private readonly latestSuggestions = new Map<string, CallSuggestions>();
  private readonly placeKeys = new Map<string, { key: string | null; label: string }>();
  private earlierCases: { loadedAt: number; since: string; cases: KnownCase[] } | null = null;
  private knownHotspots = new Map<string, number>();
  private training: Promise<CategoryModelVersion | null> | null = null;
  private stopped = false;

  constructor(private readonly options: DraftingServiceOptions) {
    this.settings = { ...defaultDraftingSettings, ...options.settings };
  }

  /** Starts following suggestions and case changes; returns the disposer. */
  follow(): () => void {
    if (this.settings.retrainOutdatedModel) {
      void this.retrainIfOutdated().catch((error: unknown) => console.error('retraining the category model after an update failed:', error));
    }
    return this.options.events.subscribe((envelope) => {
      if (envelope.event === 'onSuggestionsUpdated') {
        const suggestions = envelope.payload as CallSuggestions;
        this.rememberSuggestions(suggestions);
        this.refresher.request(suggestions.callId);
      } else if (envelope.event === 'onCategoryModelChanged') {
        // Calls under way get their category from the new model now, not at their next utterance.
        for (const callId of this.latestSuggestions.keys()) this.refresher.request(callId);
      } else if (envelope.event === 'onCaseChanged') {
        this.earlierCases = null;
        if ((envelope.payload as CaseSummary).state === 'confirmed') this.afterConfirmation();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.refresher.stop();
    await this.training?.catch(() => null);
  }

  async forCall(callId: string): Promise<CaseDraft> {
    const call = await this.options.calls.get(callId);
    const segments = await this.options.calls.segments(callId);
    const now = this.options.clock.now();
    const lines = segments.map((segment) => ({ id: segment.id, speaker: segment.speaker, text: segment.text }));
    const active = await this.options.registry.active();
    const routedPastCases = await this.routedPastCases(this.latestSuggestions.get(callId)?.cases ?? []);
    const { fields, deadline } = draftFields({ lines, callerLine: call.callerLine, routedPastCases, now }, { reference: this.options.reference, categoryModel: active });
    const phones = [fields.callerPhone?.value, fields.contactPhone?.value].filter((phone): phone is string => Boolean(phone));
    const address = fields.address?.value;
    const repeats = lines.length === 0 ? [] : await this.repeatsFor(callId, {
      phones,
      placeKey: address ? estateKey(address) : null,
      category: fields.category?.value[0] ?? null,
      text: lines.filter((line) => line.speaker === 'caller').map((line) => line.text).join(''),
      at: now,
    });
    return {
      callId,
      segmentCount: segments.length,
      fields,
      deadline: deadline && { value: deadline.value, hours: deadline.hours },
      repeats,
      categoryModelVersion: active?.version ?? null,
      generatedAt: now.toISOString(),
    };
  }

  /**
   * Drafts from written text rather than a call (the `draft` command): a message's title and body,
   * or one text, all taken as the caller's words.
   */
  async draftText(message: { title?: string; body?: string; text?: string }): Promise<DraftedFields> {
    const lines: TranscriptLine[] = (
      [
        ['title', message.title],
        ['body', message.body],
        ['text', message.text],
      ] as const
    ).flatMap(([id, text]) => (text && text.trim() !== '' ? [{ id, speaker: 'caller' as const, text }] : []));
    const active = await this.options.registry.active();
    // Only cases confirmed here say where a matter was sent; without any, the search is skipped.
    const routedPastCases = (await this.hasRoutedCases()) && lines.length > 0 ? await this.routedPastCases(await this.options.findSimilarCases(lines)) : [];
    return draftFields(
      { lines, title: message.title?.trim() ?? '', callerLine: null, routedPastCases, now: this.options.clock.now() },
      { reference: this.options.reference, categoryModel: active },
    );
  }

  private async hasRoutedCases(): Promise<boolean> {
    const row = await this.options.database.get<{ present: number }>("SELECT EXISTS (SELECT 1 FROM cases WHERE state = 'confirmed' AND department IS NOT NULL) AS present");
    return row?.present === 1;
  }

  async hotspots(windowDays = this.settings.hotspotWindowDays, minimumCases = this.settings.hotspotMinimumCases): Promise<Hotspot[]> {
    const now = this.options.clock.now();
    const since = new Date(now.getTime() - (windowDays + surgeBaselineDays) * dayMs).toISOString();
    const cases = await this.knownCasesSince(since);
    const hotspotCases: HotspotCase[] = cases.map((entry) => ({
      id: entry.code ?? entry.id,
      occurredAt: entry.occurredAt,
      placeKey: entry.placeKey,
      placeLabel: entry.addressLabel,
      category: entry.category,
    }));
    return findHotspots(hotspotCases, { windowDays, minimumCases, now }).map((hotspot) => ({
      kind: hotspot.kind,
      windowDays,
      placeLabel: hotspot.placeLabel,
      category: hotspot.category,
      count: hotspot.count,
      expected: hotspot.expected ?? null,
      firstAt: hotspot.firstAt,
      lastAt: hotspot.lastAt,
      caseCodes: [...hotspot.caseIds].reverse().slice(0, 20),
    }));
  }

  /**
   * Trains a new category-model version from the imported and confirmed cases (in a worker), stores
   * it in the registry as the active version, and announces it.
   */
  retrain(reason: CategoryModelVersion['reason']): Promise<CategoryModelVersion | null> {
    this.training ??= (async () => {
      try {
        const cases = await this.options.registry.trainingCases();
        const trained = await this.options.train({ cases, reason, now: this.options.clock.now().toISOString() });
        if (this.stopped) return null;
        const version = await this.options.registry.add(trained);
        this.options.events.emit('onCategoryModelChanged', version);
        return version;
      } finally {
        this.training = null;
      }
    })();
    return this.training;
  }

  /**
   * Trains a new version when the active one was stored by an earlier console in a format this one
   * cannot read (an update changed the model). The cases it learnt from are still in the data folder,
   * so the category comes back after one training instead of waiting for someone to run `train`.
   * Returns the new version, or null when the active one is readable (or there is none).
   */
  async retrainIfOutdated(): Promise<CategoryModelVersion | null> {
    if (!(await this.options.registry.activeIsOutdated())) return null;
    console.warn('The active category model was stored by an earlier console and cannot be read: training it again from the same cases.');
    return this.retrain('format-upgrade');
  }

  /** The category model drafts use now, with its registry version; null while none is trained. */
  activeModel() {
    return this.options.registry.active();
  }

  models(): Promise<CategoryModelVersion[]> {
    return this.options.registry.list();
  }

  async activate(version: number): Promise<CategoryModelVersion> {
    const activated = await this.options.registry.activate(version);
    this.options.events.emit('onCategoryModelChanged', activated);
    return activated;
  }

  /** Keeps the latest suggestions of the most recent calls only: older calls are long finished. */
  private rememberSuggestions(suggestions: CallSuggestions): void {
    this.latestSuggestions.delete(suggestions.callId);
    this.latestSuggestions.set(suggestions.callId, suggestions);
    for (const callId of this.latestSuggestions.keys()) {
      if (this.latestSuggestions.size <= rememberedCalls) break;
      this.latestSuggestions.delete(callId);
      this.options.log.forgetCall(callId);
    }
  }

  private afterConfirmation(): void {
    if (this.stopped) return;
    void this.announceNewHotspots().catch((error: unknown) => console.error('hotspot check failed:', error));
    void this.options.registry
      .confirmedSinceActive()
      .then((count) => (count >= this.settings.retrainAfterConfirmed && !this.training ? this.retrain('new-cases') : null))
      .catch((error: unknown) => console.error('retraining the category model failed:', error));
  }

  private async announceNewHotspots(): Promise<void> {
    const current = await this.hotspots();
    const seen = new Map<string, number>();
    for (const hotspot of current) {
      const key = `${hotspot.kind}\u0000${hotspot.placeLabel}\u0000${hotspot.category ?? ''}\u0000${hotspot.kind === 'surge' ? hotspot.lastAt.slice(0, 10) : ''}`;
      seen.set(key, hotspot.count);
      // New, or grown since it was last announced.
      if ((this.knownHotspots.get(key) ?? 0) < hotspot.count) this.options.events.emit('onHotspotDetected', hotspot);
    }
    this.knownHotspots = seen;
  }

  /** Where similar cases confirmed on this console were sent, weighted by how similar they are. */
  private async routedPastCases(similarCases: readonly CaseHit[]): Promise<RoutedPastCase[]> {
    const hits = similarCases.filter((hit) => hit.caseId);
    if (hits.length === 0) return [];
    const topScore = Math.max(...hits.map((hit) => hit.score));
    const rows = await this.options.database.all<{ id: string; department: string; address_district: string }>(
      `SELECT id, department, address_district FROM cases WHERE department IS NOT NULL AND id IN (${hits.map(() => '?').join(', ')})`,
      hits.map((hit) => hit.caseId as string),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return hits.flatMap((hit) => {
      const row = byId.get(hit.caseId as string);
      return row ? [{ department: row.department, similarity: topScore > 0 ? hit.score / topScore : 0, district: row.address_district || undefined }] : [];
    });
  }

  private async repeatsFor(callId: string, current: Parameters<typeof findRepeatCandidates>[0]): Promise<RepeatCaseCandidate[]> {
    const since = new Date(current.at.getTime() - this.settings.repeatWindowDays * dayMs).toISOString();
    const earlier = (await this.knownCasesSince(since)).filter((entry) => entry.callId !== callId);
    return findRepeatCandidates(current, earlier, { windowDays: this.settings.repeatWindowDays }).map((candidate) => {
      const entry = candidate.earlier as KnownCase & { callId?: string | null };
      return {
        code: entry.code ?? entry.id,
        caseId: entry.caseId,
        occurredAt: entry.occurredAt,
        reasons: candidate.reasons,
        similarity: Number(candidate.similarity.toFixed(3)),
        confidence: Number(candidate.confidence.toFixed(3)),
        summary: entry.summary,
        address: entry.addressLabel,
        category: entry.category,
        answer: entry.answer,
      };
    });
  }

  /** Console cases and imported past cases since `since`, read again after a case changes or a minute. */
  private async knownCasesSince(since: string): Promise<(KnownCase & { callId: string | null })[]> {
    const now = Date.now();
    const cached = this.earlierCases;
    if (cached && cached.since <= since && now - cached.loadedAt < earlierCasesLifetimeMs) {
      return cached.cases.filter((entry) => entry.occurredAt >= since) as (KnownCase & { callId: string | null })[];
    }
    const [consoleRows, importedRows] = await Promise.all([
      this.options.database.all<ConsoleCaseRow>(
        `SELECT cases.id, cases.code, cases.call_id, cases.caller_phone, cases.contact_phone, calls.caller_line,
                cases.address_district, cases.address_street, cases.address_community, cases.address_estate, cases.address_detail,
                cases.category_path, cases.summary, cases.answer, cases.created_at
         FROM cases LEFT JOIN calls ON calls.id = cases.call_id WHERE cases.created_at >= ?`,
        [since],
      ),
      this.options.database.all<ImportedCaseRow>(
        "SELECT id, title, body, category, address, reply, occurred_at FROM past_cases WHERE occurred_at >= ? AND origin = 'import'",
        [since],
      ),
    ]);
    const cases: (KnownCase & { callId: string | null })[] = [
      ...consoleRows.map((row) => {
        const parts: AddressParts = {
          district: row.address_district,
          street: row.address_street,
          community: row.address_community,
          estate: row.address_estate,
          detail: row.address_detail,
        };
        return {
          id: row.id,
          code: row.code,
          caseId: row.id,
          callId: row.call_id,
          occurredAt: row.created_at,
          phones: [row.caller_phone, row.contact_phone, row.caller_line ?? ''].filter(Boolean),
          placeKey: estateKey(parts),
          addressLabel: [parts.district, parts.street, parts.community, parts.estate].join(''),
          category: row.category_path ? ((JSON.parse(row.category_path) as string[])[0] ?? null) : null,
          text: row.summary,
          summary: row.summary,
          answer: row.answer,
        };
      }),
      ...importedRows.map((row) => {
        const place = this.placeOf(row);
        return {
          id: row.id,
          code: row.id,
          caseId: null,
          callId: null,
          occurredAt: row.occurred_at,
          phones: [],
          placeKey: place.key,
          addressLabel: place.label,
          category: row.category.split(' ')[0] || null,
          text: `${row.title}${row.body}`,
          summary: row.title || row.body.slice(0, 60),
          answer: row.reply,
        };
      }),
    ];
    this.earlierCases = { loadedAt: now, since, cases };
    return cases;
  }

  /** The place an imported case is about, from its address or else its text (remembered per case). */
  private placeOf(row: ImportedCaseRow): { key: string | null; label: string } {
    const known = this.placeKeys.get(row.id);
    if (known) return known;
    const lines = [
      { id: 'address', speaker: 'caller' as const, text: row.address },
      { id: 'title', speaker: 'caller' as const, text: row.title },
      { id: 'body', speaker: 'caller' as const, text: row.body },
    ].filter((line) => line.text !== '');
    const address = extractAddress(lines, this.options.reference.places)?.value;
    const place = address
      ? { key: estateKey(address), label: [address.district, address.street, address.community, address.estate].join('') }
      : { key: null, label: '' };
    this.placeKeys.set(row.id, place);
    return place;
  }
}
