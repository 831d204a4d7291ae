import type { CallSuggestions, SearchResults, Speaker, TranscriptSegment } from '../../contract';
import type { CallService } from '../calls/call-service';
import type { Clock } from '../clock';
import { CoalescingRunner } from '../events/coalescing-runner';
import type { EventBus } from '../events/event-bus';
import type { SearchIndex, TermStatistics } from './search-index';

/** The caller's words say what the call is about; the operator's mostly echo and ask. */
const speakerWeights: Record<Speaker, number> = { caller: 1, operator: 0.4 };
/** Each older utterance counts this much less than the one after it: the matter can change mid-call. */
const recencyDecay = 0.93;
// Enough words to describe the matter; past that, more words mostly add noise and latency.
const callKeywordCount = 16;
const queryKeywordCount = 30;
const suggestionLimit = 5;
// Older utterances weigh under 0.93^30 ≈ 0.11 anyway; leaving them out keeps a long call's search as cheap as a short one's.
const recentSegmentWindow = 30;

export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * How much a term says about this call: informative in Chinese at large (so 马上 or 保持 do not
 * lead), damped when common across our own corpus, and zero when the corpus lacks it entirely
 * (it could not find anything).
 */
function informativeness(term: string, statistics: TermStatistics, generalInformativeness: (term: string) => number): number {
  const documents = statistics.caseCount + statistics.articleCount;
  const frequency = (statistics.caseFrequency.get(term) ?? 0) + (statistics.articleFrequency.get(term) ?? 0);
  if (frequency === 0) return 0;
  const corpusRarity = Math.log(1 + (documents + 1) / (frequency + 1)) / Math.log(2 + documents);
  return generalInformativeness(term) * Math.sqrt(corpusRarity);
}

/**
 * The call's keywords: each term weighted by who said it, how recently, how often, and how
 * informative it is. Terms that occur nowhere in the corpus cannot find anything and are left out.
 */
export function rankCallKeywords(
  segments: readonly { speaker: Speaker; terms: readonly string[] }[],
  statistics: TermStatistics,
  limit: number,
  generalInformativeness: (term: string) => number = () => 1,
): WeightedTerm[] {
  const weights = new Map<string, number>();
  segments.forEach((segment, index) => {
    const age = segments.length - 1 - index;
    const segmentWeight = speakerWeights[segment.speaker] * recencyDecay ** age;
    for (const term of segment.terms) weights.set(term, (weights.get(term) ?? 0) + segmentWeight);
  });
  return [...weights]
    .map(([term, weight]) => ({ term, weight: weight * informativeness(term, statistics, generalInformativeness) }))
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, limit);
}

/**
 * The live loop: after each transcript segment, the call's keywords are searched in both indexes
 * and the result pushed as `onSuggestionsUpdated`. Segments that arrive while a search for the same
 * call runs are folded into one follow-up search, so a fast talker never queues up stale work.
 */
export class SuggestionService {
  private readonly refresher = new CoalescingRunner(
    async (callId) => this.events.emit('onSuggestionsUpdated', await this.forCall(callId)),
    (callId) => `suggestions for call ${callId}`,
  );

  constructor(
    private readonly index: SearchIndex,
    private readonly calls: CallService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Starts following transcript events; returns the disposer. */
  follow(): () => void {
    return this.events.subscribe((envelope) => {
      if (envelope.event !== 'onTranscriptSegmentAdded') return;
      this.refresher.request((envelope.payload as TranscriptSegment).callId);
    });
  }

  /** Lets searches under way finish and starts no new ones: the database is about to close. */
  async stop(): Promise<void> {
    await this.refresher.stop();
  }

  async query(text: string, scope: 'all' | 'kb' | 'cases', limit: number): Promise<SearchResults> {
    const candidates = [...new Set(this.index.terms.terms(text))];
    const statistics = await this.index.statistics(candidates);
    // A typed query holds only words the operator chose: corpus rarity alone orders them.
    const terms = rankCallKeywords([{ speaker: 'caller', terms: candidates }], statistics, queryKeywordCount).map((entry) => entry.term);
    const [articles, cases] = await Promise.all([
      scope === 'cases' ? [] : this.index.searchArticles(terms, limit),
      scope === 'kb' ? { hits: [], prunedTerms: [] } : this.index.searchCases(terms, limit, statistics),
    ]);
    return { terms, articles, cases: cases.hits, prunedTerms: cases.prunedTerms };
  }

  async forCall(callId: string): Promise<CallSuggestions> {
    await this.calls.get(callId);
    const segments = await this.calls.segments(callId);
    const recent = segments.slice(-recentSegmentWindow);
    return { callId, segmentCount: segments.length, generatedAt: this.clock.now().toISOString(), ...(await this.suggestFor(recent)) };
  }

  /** The live loop's search for what has been said so far (also what the benchmark times). */
  async suggestFor(segments: readonly { speaker: Speaker; text: string }[]): Promise<SearchResults> {
    const segmentTerms = segments.map((segment) => ({ speaker: segment.speaker, terms: this.index.terms.terms(segment.text) }));
    const statistics = await this.index.statistics(segmentTerms.flatMap((segment) => segment.terms));
    const terms = rankCallKeywords(segmentTerms, statistics, callKeywordCount, (term) => this.index.terms.generalInformativeness(term)).map((entry) => entry.term);
    const [articles, cases] = await Promise.all([
      this.index.searchArticles(terms, suggestionLimit),
      this.index.searchCases(terms, suggestionLimit, statistics),
    ]);
    return { terms, articles, cases: cases.hits, prunedTerms: cases.prunedTerms };
  }
}
