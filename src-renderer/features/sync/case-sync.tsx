import { Tag } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseSyncChange, CaseSyncState } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { useI18n } from '../../i18n';
import { formatClock, formatDateTime } from '../../shared/format';
import { caseSyncColours, caseSyncLabelKeys, describeSyncError, followUpVerdictLabelKeys, platformStatusLabelKeys } from './sync-labels';

function withoutId(change: CaseSyncChange): CaseSyncState {
  const { caseId: _caseId, ...state } = change;
  return state;
}

/** One case's sync state, kept up to date by `onCaseSyncChanged`; null while unknown. */
export function useCaseSync(caseId: string | null, refreshKey: unknown = null): CaseSyncState | null {
  const api = useApi();
  const [state, setState] = useState<{ caseId: string; value: CaseSyncState } | null>(null);
  const generation = useRef(0);
  const load = useCallback(() => {
    if (!caseId) return;
    const asked = ++generation.current;
    api.call('sync.caseState', { caseId }).then(
      (value) => {
        if (generation.current === asked) setState({ caseId, value });
      },
      () => undefined,
    );
  }, [api, caseId]);
  useEffect(load, [load, refreshKey]);
  useReconnected(load);
  useEvent('onCaseSyncChanged', (change) => {
    if (change.caseId !== caseId) return;
    generation.current += 1;
    setState({ caseId, value: withoutId(change) });
  });
  return state && state.caseId === caseId ? state.value : null;
}

/** The sync states of the cases on a page of the list, by case id. */
export function useCaseSyncStates(caseIds: readonly string[]): Map<string, CaseSyncState> {
  const api = useApi();
  const [states, setStates] = useState<Map<string, CaseSyncState>>(new Map());
  const key = caseIds.join(',');
  const ids = useMemo(() => (key ? key.split(',') : []), [key]);
  const load = useCallback(() => {
    if (ids.length === 0) return;
    api.call('sync.caseStates', { caseIds: ids }).then(
      (changes) =>
        setStates((previous) => {
          const next = new Map(previous);
          for (const change of changes) next.set(change.caseId, withoutId(change));
          return next;
        }),
      () => undefined,
    );
  }, [api, ids]);
  useEffect(load, [load]);
  useReconnected(load);
  useEvent('onCaseSyncChanged', (change) => {
    if (!ids.includes(change.caseId)) return;
    setStates((previous) => new Map(previous).set(change.caseId, withoutId(change)));
  });
  return states;
}

/** Waiting, sent (with the platform's number and where the case stands there) or refused, in one line. */
export function CaseSyncTag({ state, testId = 'case-sync-state', showPlatformStatus = true }: { state: CaseSyncState; testId?: string; showPlatformStatus?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="hc-case-sync" data-testid={testId} data-state={state.state} data-platform-number={state.platformNumber ?? ''}>
      <Tag color={caseSyncColours[state.state]} title={state.error ? describeSyncError(state.error, t) : undefined}>
        {t(caseSyncLabelKeys[state.state])}
      </Tag>
      {state.platformNumber ? (
        <span className="hc-case-code hc-case-sync__number" data-testid={`${testId}-number`}>
          {state.platformNumber}
        </span>
      ) : null}
      {showPlatformStatus && state.platformStatus && state.platformStatus.status !== 'received' ? (
        <Tag color="blue" data-testid={`${testId}-platform-status`} data-status={state.platformStatus.status}>
          {t(platformStatusLabelKeys[state.platformStatus.status])}
        </Tag>
      ) : null}
    </span>
  );
}

/** The case drawer's account of the case on the central platform: delivery, then what the platform did with it. */
export function CaseSyncDetails({ caseId, refreshKey }: { caseId: string; refreshKey?: unknown }) {
  const { t, locale } = useI18n();
  const state = useCaseSync(caseId, refreshKey);
  if (!state) return <span className="hc-muted">{t('common.empty')}</span>;
  const platform = state.platformStatus;
  return (
    <div className="hc-case-sync-details" data-testid="case-sync-details" data-state={state.state}>
      <div className="hc-case-sync-details__line">
        <CaseSyncTag state={state} testId="detail-sync-state" showPlatformStatus={false} />
        {state.state === 'waiting' && state.attempts > 0 ? (
          <span className="hc-muted">
            {t('caseSync.attempts', { count: state.attempts })}
            {state.nextAttemptAt ? ` · ${t('caseSync.nextAttempt', { time: formatClock(state.nextAttemptAt, locale) })}` : ''}
          </span>
        ) : null}
      </div>
      {state.error ? (
        <div className={state.state === 'failed' ? 'hc-case-sync-details__error' : 'hc-muted'} data-testid="detail-sync-error" data-code={state.error.code}>
          {t('caseSync.reason', { reason: describeSyncError(state.error, t) })}
          {state.error.message ? <div className="hc-muted">{t('sync.platformSaid', { message: state.error.message })}</div> : null}
          {state.state === 'failed' ? <div>{t('caseSync.failedHint')}</div> : null}
        </div>
      ) : null}
      {platform ? (
        <dl className="hc-facts hc-case-sync-details__platform" data-testid="detail-platform-status" data-status={platform.status}>
          <div className="hc-facts__row">
            <dt className="hc-muted">{t('caseSync.platformStatus')}</dt>
            <dd>
              <Tag color="blue">{t(platformStatusLabelKeys[platform.status])}</Tag>
              <span className="hc-muted">{t('caseSync.changedAt', { time: formatDateTime(platform.changedAt, locale) })}</span>
            </dd>
          </div>
          {platform.department ? (
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('caseSync.department')}</dt>
              <dd data-testid="detail-platform-department">{platform.department}</dd>
            </div>
          ) : null}
          {platform.reply ? (
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('caseSync.reply')}</dt>
              <dd className="hc-prewrap" data-testid="detail-platform-reply">
                {platform.reply}
              </dd>
            </div>
          ) : null}
          {platform.followUpVerdict ? (
            <div className="hc-facts__row">
              <dt className="hc-muted">{t('caseSync.followUp')}</dt>
              <dd data-testid="detail-platform-verdict">
                <Tag color={platform.followUpVerdict === 'satisfied' ? 'green' : 'orange'}>{t(followUpVerdictLabelKeys[platform.followUpVerdict])}</Tag>
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </div>
  );
}
