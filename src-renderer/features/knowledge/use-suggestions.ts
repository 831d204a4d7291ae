import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArticleHit, CallSuggestions, KnowledgeArticle, SearchResults } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { useErrorReporter } from '../../shared/use-error-reporter';

/** The server cuts longer queries anyway; sending less keeps a pasted page off the wire. */
const queryLimit = 500;
const searchLimit = 8;

export interface OperatorSearch {
  /** The query as submitted (trimmed). */
  query: string;
  /** The answer to that query; null while the first answer is on its way. */
  results: SearchResults | null;
  loading: boolean;
}

export interface SuggestionsController {
  /** The latest suggestions for the current call, or null before the first arrives. */
  live: CallSuggestions | null;
  /** The operator's own search, shown instead of the live suggestions while set. */
  search: OperatorSearch | null;
  /** The articles the pane lists now, in order: the one keys Alt+Shift+1..5 refer to. */
  shownArticles: ArticleHit[];
  runSearch(query: string): void;
  clearSearch(): void;
  /** The full article, fetched once per id and version. */
  getArticle(id: string, version?: number): Promise<KnowledgeArticle>;
}

/** Newer suggestions replace older ones; a late answer about fewer segments never wins. */
function newer(previous: CallSuggestions | null, next: CallSuggestions): CallSuggestions {
  if (!previous || previous.callId !== next.callId) return next;
  return next.segmentCount < previous.segmentCount ? previous : next;
}

/**
 * Live suggestions for the current call (pushed as `onSuggestionsUpdated`, fetched with
 * `search.forCall` when the call changes and after a reconnect) and the operator's own search.
 */
export function useSuggestions(callId: string | null): SuggestionsController {
  const api = useApi();
  const reportError = useErrorReporter();
  const [live, setLive] = useState<CallSuggestions | null>(null);
  const [search, setSearch] = useState<OperatorSearch | null>(null);
  const callIdRef = useRef<string | null>(callId);
  callIdRef.current = callId;
  const searchSequence = useRef(0);
  const articles = useRef(new Map<string, Promise<KnowledgeArticle>>());

  const accept = useCallback((next: CallSuggestions) => {
    if (next.callId !== callIdRef.current) return;
    setLive((previous) => newer(previous, next));
  }, []);

  useEvent('onSuggestionsUpdated', accept);

  const fetchForCall = useCallback(
    (id: string) => {
      api.call('search.forCall', { callId: id }).then(accept, () => {
        // Missing the catch-up is harmless: the next utterance brings fresh suggestions.
      });
    },
    [api, accept],
  );

  useEffect(() => {
    setLive((previous) => (previous && previous.callId === callId ? previous : null));
    if (callId) fetchForCall(callId);
  }, [callId, fetchForCall]);

  // Suggestions pushed while the socket was down are gone; ask again.
  useReconnected(() => {
    if (callIdRef.current) fetchForCall(callIdRef.current);
  });

  const runSearch = useCallback(
    (text: string) => {
      const query = text.trim().slice(0, queryLimit);
      searchSequence.current += 1;
      if (query === '') {
        setSearch(null);
        return;
      }
      const sequence = searchSequence.current;
      setSearch((previous) => ({ query, results: previous?.query === query ? previous.results : null, loading: true }));
      api.call('search.query', { query, scope: 'all', limit: searchLimit }).then(
        (results) => {
          if (sequence === searchSequence.current) setSearch({ query, results, loading: false });
        },
        (error: unknown) => {
          if (sequence !== searchSequence.current) return;
          setSearch({ query, results: { terms: [], articles: [], cases: [], prunedTerms: [] }, loading: false });
          reportError(error);
        },
      );
    },
    [api, reportError],
  );

  const clearSearch = useCallback(() => {
    searchSequence.current += 1;
    setSearch(null);
  }, []);

  const getArticle = useCallback(
    (id: string, version?: number) => {
      const key = `${id}@${version ?? ''}`;
      let pending = articles.current.get(key);
      if (!pending) {
        pending = api.call('kb.get', { id });
        articles.current.set(key, pending);
        // A failed fetch is not remembered: the next try asks again.
        pending.catch(() => articles.current.delete(key));
      }
      return pending;
    },
    [api],
  );

  const shownArticles = search ? (search.results?.articles ?? []) : (live?.articles ?? []);

  return { live, search, shownArticles, runSearch, clearSearch, getArticle };
}
