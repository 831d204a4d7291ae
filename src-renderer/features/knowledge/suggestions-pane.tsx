import { ArrowLeftOutlined, BulbOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Spin, Tag } from 'antd';
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ArticleHit, CaseHit, KnowledgeArticle, SearchResults } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import { useI18n, type Locale } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { ArticleDrawer, type InsertMode } from './article-drawer';
import { Highlighted } from './highlighted';
import type { SuggestionsController } from './use-suggestions';

/** How many listed articles get a number and an Alt+Shift shortcut. */
export const numberedArticles = 5;

type CallState = 'idle' | 'active' | 'ended';

interface OpenTarget {
  id: string;
  version: number;
  rank: number | null;
}

function formatOccurredAt(value: string | null, locale: Locale): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return Number.isNaN(Date.parse(value)) ? value : formatDateTime(value, locale);
}

/** Enter or Space on a focused item does what a click does. */
function activateOnKey(action: () => void) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget || event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}

function ArticleItem({ hit, rank, onOpen }: { hit: ArticleHit; rank: number | null; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <li
      className="hc-sugg-item hc-sugg-article"
      role="button"
      tabIndex={0}
      title={t('suggestions.openHint')}
      onClick={onOpen}
      onKeyDown={activateOnKey(onOpen)}
      data-testid={`suggestion-article-${hit.id}`}
      data-kind="article"
      data-article-id={hit.id}
      data-rank={rank ?? ''}
    >
      <div className="hc-sugg-item__head">
        <span className={rank ? 'hc-sugg-rank' : 'hc-sugg-rank hc-sugg-rank--none'} aria-hidden>
          {rank ?? ''}
        </span>
        <span className="hc-sugg-title" data-testid="suggestion-title">
          <Highlighted text={hit.title} terms={hit.matchedTerms} />
        </span>
      </div>
      <div className="hc-sugg-meta">
        {hit.department ? <span>{hit.department}</span> : null}
        <span className="hc-nowrap">{t('suggestions.version', { version: hit.version })}</span>
        {hit.effectiveUntil ? <span className="hc-nowrap">{t('suggestions.until', { date: hit.effectiveUntil })}</span> : null}
        {hit.sample ? (
          <Tag className="hc-sugg-tag" title={t('suggestions.sampleHint')} data-testid="suggestion-sample">
            {t('suggestions.sample')}
          </Tag>
        ) : null}
      </div>
      {hit.snippet ? (
        <p className="hc-sugg-snippet" data-testid="suggestion-snippet">
          <Highlighted text={hit.snippet} terms={hit.matchedTerms} />
        </p>
      ) : null}
      {rank ? (
        <div className="hc-sugg-shortcut">
          <Kbd>{`Alt+Shift+${rank}`}</Kbd> {t('suggestions.insertHint')}
        </div>
      ) : null}
    </li>
  );
}

function CaseItem({ hit }: { hit: CaseHit }) {
  const { t, locale } = useI18n();
  const facts = [hit.category, hit.address, formatOccurredAt(hit.occurredAt, locale)].filter((fact) => fact && fact.trim());
  return (
    <li className="hc-sugg-item hc-sugg-case" data-testid={`suggestion-case-${hit.id}`} data-kind="case">
      <div className="hc-sugg-item__head">
        <span className="hc-sugg-title" data-testid="suggestion-title">
          <Highlighted text={hit.title} terms={hit.matchedTerms} />
        </span>
      </div>
      {facts.length > 0 || hit.caseId ? (
        <div className="hc-sugg-meta">
          {facts.map((fact, index) => (
            <span key={index}>{fact}</span>
          ))}
          {hit.caseId ? <Tag className="hc-sugg-tag">{t('suggestions.confirmedHere')}</Tag> : null}
        </div>
      ) : null}
      {hit.snippet ? (
        <p className="hc-sugg-snippet" data-testid="suggestion-snippet">
          <Highlighted text={hit.snippet} terms={hit.matchedTerms} />
        </p>
      ) : null}
      {hit.reply ? (
        <p className="hc-sugg-snippet hc-sugg-reply" data-testid="suggestion-reply">
          <span className="hc-sugg-reply__label">{t('suggestions.reply')}</span>
          <Highlighted text={hit.reply} terms={hit.matchedTerms} />
        </p>
      ) : null}
    </li>
  );
}

function Results({ results, onOpen }: { results: SearchResults; onOpen: (target: OpenTarget) => void }) {
  const { t } = useI18n();
  return (
    <>
      <section className="hc-sugg-section" data-testid="suggestions-articles">
        <h3 className="hc-sugg-section__title">
          {t('suggestions.articles')}
          <span className="hc-sugg-count">{results.articles.length}</span>
        </h3>
        {results.articles.length > 0 ? (
          <ol className="hc-sugg-list">
            {results.articles.map((hit, index) => {
              const rank = index < numberedArticles ? index + 1 : null;
              return <ArticleItem key={hit.id} hit={hit} rank={rank} onOpen={() => onOpen({ id: hit.id, version: hit.version, rank })} />;
            })}
          </ol>
        ) : (
          <p className="hc-sugg-none">{t('suggestions.noArticles')}</p>
        )}
      </section>
      <section className="hc-sugg-section" data-testid="suggestions-cases">
        <h3 className="hc-sugg-section__title">
          {t('suggestions.cases')}
          <span className="hc-sugg-count">{results.cases.length}</span>
        </h3>
        {results.cases.length > 0 ? (
          <ol className="hc-sugg-list">
            {results.cases.map((hit) => (
              <CaseItem key={hit.id} hit={hit} />
            ))}
          </ol>
        ) : (
          <p className="hc-sugg-none">{t('suggestions.noCases')}</p>
        )}
      </section>
    </>
  );
}

function EmptyState({ state, text }: { state: string; text: string }) {
  return (
    <div className="hc-suggestions-empty" data-testid="suggestions-empty" data-state={state}>
      <BulbOutlined className="hc-suggestions-empty__icon" aria-hidden />
      <p>{text}</p>
    </div>
  );
}

/**
 * The middle pane: policy answers and similar past cases for what is being said, updated in place
 * after every utterance, or the operator's own search. It never takes focus or scrolls another
 * pane; the work order changes only when the operator inserts an answer.
 */
export function SuggestionsPane({
  controller,
  callState,
  onInsert,
  locked,
}: {
  controller: SuggestionsController;
  callState: CallState;
  onInsert: (article: KnowledgeArticle, mode: InsertMode) => Promise<boolean>;
  locked: boolean;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const [open, setOpen] = useState<OpenTarget | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const { live, search } = controller;

  const mode = search ? 'search' : 'live';
  const results: SearchResults | null = search ? search.results : live;

  // A new search, or going back, starts this pane's list at the top (only this pane's).
  useLayoutEffect(() => {
    if (body.current) body.current.scrollTop = 0;
  }, [mode, search?.query]);

  const backToLive = () => {
    setDraft('');
    controller.clearSearch();
  };

  let content;
  if (search && !search.results) {
    content = (
      <div className="hc-center" data-testid="suggestions-searching">
        <Spin />
        <span className="hc-muted">{t('suggestions.searching')}</span>
      </div>
    );
  } else if (search && results && results.articles.length === 0 && results.cases.length === 0) {
    content = <EmptyState state="no-results" text={t('suggestions.noResults', { query: search.query })} />;
  } else if (!search && (callState === 'idle' || (callState === 'ended' && !live))) {
    content = <EmptyState state="no-call" text={t('suggestions.empty')} />;
  } else if (!search && (!live || live.segmentCount === 0)) {
    content = <EmptyState state="waiting" text={t('suggestions.waiting')} />;
  } else if (!search && live && live.articles.length === 0 && live.cases.length === 0) {
    content = <EmptyState state="nothing" text={t('suggestions.nothingYet')} />;
  } else if (results) {
    content = <Results results={results} onOpen={setOpen} />;
  }

  const terms = results?.terms ?? [];
  const pruned = results?.prunedTerms ?? [];

  return (
    <div className="hc-pane hc-suggestions-pane" data-testid="suggestions-pane">
      <div className="hc-pane__header">
        <h2 className="hc-pane__title">{t('suggestions.title')}</h2>
        {search ? (
          <span className="hc-muted hc-sugg-status" data-testid="suggestions-search-label" title={search.query}>
            {search.loading ? <Spin size="small" className="hc-sugg-spin" /> : null}
            {t('suggestions.searchResults', { query: search.query })}
          </span>
        ) : null}
        {!search && live && live.segmentCount > 0 ? (
          <span className="hc-muted hc-sugg-status" data-testid="suggestions-status">
            {t('suggestions.liveStatus', { count: live.segmentCount })}
          </span>
        ) : null}
      </div>
      <div className="hc-pane__toolbar hc-sugg-toolbar">
        <Input
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.nativeEvent.isComposing) return;
            if (event.key === 'Enter') {
              event.preventDefault();
              controller.runSearch(draft);
            } else if (event.key === 'Escape' && (draft !== '' || search)) {
              event.preventDefault();
              backToLive();
            }
          }}
          allowClear
          onClear={backToLive}
          prefix={<SearchOutlined className="hc-muted" aria-hidden />}
          placeholder={t('suggestions.queryPlaceholder')}
          aria-label={t('suggestions.queryLabel')}
          autoComplete="off"
          spellCheck={false}
          data-testid="suggestions-query"
        />
        {search ? (
          <div className="hc-sugg-searchbar">
            <Button size="small" icon={<ArrowLeftOutlined />} onClick={backToLive} data-testid="suggestions-back">
              {t('suggestions.backToLive')} <Kbd>Esc</Kbd>
            </Button>
          </div>
        ) : null}
        {terms.length > 0 ? (
          <div className="hc-sugg-terms" data-testid="suggestions-terms" title={terms.join(' ')}>
            <span className="hc-muted">{t('suggestions.terms')}</span>
            {terms.map((term) => (
              <Tag key={term} className="hc-sugg-term" data-testid="suggestions-term">
                {term}
              </Tag>
            ))}
            {pruned.length > 0 ? (
              <span className="hc-muted hc-sugg-pruned" data-testid="suggestions-pruned">
                {t('suggestions.prunedTerms', { terms: pruned.join('、') })}
              </span>
            ) : null}
          </div>
        ) : null}
      </div>
      <div
        className="hc-pane__body hc-sugg-body"
        ref={body}
        data-testid="suggestions-results"
        data-mode={mode}
        data-query={search?.query ?? ''}
        data-loading={search?.loading ? 'true' : 'false'}
        data-segment-count={live?.segmentCount ?? 0}
        data-call-id={live?.callId ?? ''}
      >
        {content}
      </div>
      <ArticleDrawer
        target={open}
        getArticle={controller.getArticle}
        onClose={() => setOpen(null)}
        onInsert={onInsert}
        locked={locked}
      />
    </div>
  );
}
