import type { CaseSyncStateName, FollowUpVerdict, PlatformCaseStatusName, SyncError, SyncErrorCode, SyncState, SyncStatus } from '../../../src-main/contract';
import type { Locale, MessageKey, Translate } from '../../i18n';
import { formatDateTime } from '../../shared/format';

// The contract's value lists may not be imported at run time; typing these as Record<...> makes a
// code added to the contract a compile error here until it gets words.

export const syncErrorLabelKeys: Record<SyncErrorCode, MessageKey> = {
  BAD_REQUEST: 'syncError.BAD_REQUEST',
  UNAUTHORIZED: 'syncError.UNAUTHORIZED',
  TOKEN_REVOKED: 'syncError.TOKEN_REVOKED',
  FORBIDDEN: 'syncError.FORBIDDEN',
  NOT_FOUND: 'syncError.NOT_FOUND',
  CONFLICT: 'syncError.CONFLICT',
  PAYLOAD_TOO_LARGE: 'syncError.PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'syncError.UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'syncError.RATE_LIMITED',
  INTERNAL: 'syncError.INTERNAL',
  UNAVAILABLE: 'syncError.UNAVAILABLE',
  PLATFORM_UNREACHABLE: 'syncError.PLATFORM_UNREACHABLE',
  PLATFORM_TIMEOUT: 'syncError.PLATFORM_TIMEOUT',
  PLATFORM_NOT_JSON: 'syncError.PLATFORM_NOT_JSON',
  PLATFORM_BAD_RESPONSE: 'syncError.PLATFORM_BAD_RESPONSE',
  PLATFORM_REDIRECTED: 'syncError.PLATFORM_REDIRECTED',
  PLATFORM_HTTP_ERROR: 'syncError.PLATFORM_HTTP_ERROR',
  PLATFORM_NOT_CONFIGURED: 'syncError.PLATFORM_NOT_CONFIGURED',
};

export const syncBadgeKeys: Record<SyncState, MessageKey> = {
  'not-configured': 'sync.badge.not-configured',
  idle: 'sync.badge.idle',
  sending: 'sync.badge.sending',
  offline: 'sync.badge.offline',
  error: 'sync.badge.error',
};

export const syncDescriptionKeys: Record<SyncState, MessageKey> = {
  'not-configured': 'sync.describe.not-configured',
  idle: 'sync.describe.idle',
  sending: 'sync.describe.sending',
  offline: 'sync.describe.offline',
  error: 'sync.describe.error',
};

export const syncStateColours: Record<SyncState, string> = {
  'not-configured': 'default',
  idle: 'green',
  sending: 'blue',
  offline: 'orange',
  error: 'red',
};

export const caseSyncLabelKeys: Record<CaseSyncStateName, MessageKey> = {
  'not-confirmed': 'caseSync.not-confirmed',
  waiting: 'caseSync.waiting',
  sent: 'caseSync.sent',
  failed: 'caseSync.failed',
};

export const caseSyncColours: Record<CaseSyncStateName, string> = {
  'not-confirmed': 'default',
  waiting: 'gold',
  sent: 'green',
  failed: 'red',
};

export const platformStatusLabelKeys: Record<PlatformCaseStatusName, MessageKey> = {
  received: 'platformStatus.received',
  dispatched: 'platformStatus.dispatched',
  handled: 'platformStatus.handled',
  closed: 'platformStatus.closed',
};

export const followUpVerdictLabelKeys: Record<FollowUpVerdict, MessageKey> = {
  satisfied: 'followUpVerdict.satisfied',
  unsatisfied: 'followUpVerdict.unsatisfied',
  unreachable: 'followUpVerdict.unreachable',
};

/** The reason in the operator's words (a code we know), else the platform's own message. */
export function describeSyncError(error: SyncError, t: Translate): string {
  const key = (syncErrorLabelKeys as Partial<Record<string, MessageKey>>)[error.code];
  return key ? t(key) : error.message;
}

/** How far the console's clock is off, in words: `约 3 小时（本机偏快）`. */
export function clockSkewText(seconds: number, t: Translate): string {
  const magnitude = Math.abs(seconds);
  const amount = magnitude >= 5_400 ? t('sync.amount.hours', { count: Math.round(magnitude / 3_600) }) : t('sync.amount.minutes', { count: Math.max(1, Math.round(magnitude / 60)) });
  return t('sync.clockSkew', { amount, direction: t(seconds > 0 ? 'sync.clockAhead' : 'sync.clockBehind') });
}

/** Everything the header badge's tooltip says, one line each. */
export function describeSyncStatus(status: SyncStatus, t: Translate, locale: Locale): string[] {
  const lines = [t(syncDescriptionKeys[status.state])];
  if (status.lastError) {
    lines.push(t('sync.tooltip.lastError', { reason: describeSyncError(status.lastError, t) }));
    if (status.lastError.message) lines.push(t('sync.platformSaid', { message: status.lastError.message }));
  }
  if (status.configured || status.queueLength > 0) lines.push(t('sync.tooltip.queue', { count: status.queueLength }));
  if (status.failedCount > 0) lines.push(t('sync.tooltip.failed', { count: status.failedCount }));
  if (status.configured) {
    lines.push(status.lastContactAt ? t('sync.tooltip.lastContact', { time: formatDateTime(status.lastContactAt, locale) }) : t('sync.badge.never'));
  }
  if (status.clockSkewWarning && status.clockSkewSeconds !== null) lines.push(clockSkewText(status.clockSkewSeconds, t));
  lines.push(t('sync.badge.hint'));
  return lines;
}
