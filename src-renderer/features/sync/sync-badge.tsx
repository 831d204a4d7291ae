import { CloudServerOutlined, CloudSyncOutlined, CloudUploadOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import type { SyncState } from '../../../src-main/contract';
import { useI18n } from '../../i18n';
import { formatClock } from '../../shared/format';
import { describeSyncStatus, syncBadgeKeys, syncStateColours } from './sync-labels';
import { useSyncStatus } from './sync-status';

const icons: Record<SyncState, ReactNode> = {
  'not-configured': <CloudServerOutlined />,
  idle: <CloudSyncOutlined />,
  sending: <CloudUploadOutlined />,
  offline: <DisconnectOutlined />,
  error: <WarningOutlined />,
};

/** A pass that delivers in a moment would blink the badge blue; "sending" shows only once it lasts a second. */
function useSteadyState(state: SyncState | null): SyncState | null {
  const [shown, setShown] = useState(state);
  useEffect(() => {
    if (state !== 'sending') {
      setShown(state);
      return;
    }
    const timer = setTimeout(() => setShown('sending'), 1_000);
    return () => clearTimeout(timer);
  }, [state]);
  return shown === 'sending' && state !== 'sending' ? state : shown;
}

/**
 * The sync with the central platform at a glance: its state, the cases waiting, and the last
 * successful contact. The tooltip (on hover and on keyboard focus) says why and what to do; Enter
 * or a click opens the platform settings.
 */
export function SyncBadge({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { t, locale } = useI18n();
  const { status: reported } = useSyncStatus();
  const steadyState = useSteadyState(reported?.state ?? null);
  if (!reported || !steadyState) return null;
  const status = { ...reported, state: steadyState };
  const parts = [t(syncBadgeKeys[status.state])];
  if (status.queueLength > 0) parts.push(t('sync.badge.queue', { count: status.queueLength }));
  if (status.failedCount > 0) parts.push(t('sync.badge.failed', { count: status.failedCount }));
  if (status.configured) parts.push(status.lastContactAt ? t('sync.badge.lastContact', { time: formatClock(status.lastContactAt, locale) }) : t('sync.badge.never'));
  const lines = describeSyncStatus(status, t, locale);
  // A warning the operator should see even without hovering: the colour says "look".
  const colour = status.state === 'idle' && (status.failedCount > 0 || status.clockSkewWarning) ? 'gold' : syncStateColours[status.state];
  return (
    <Tooltip
      trigger={['hover', 'focus']}
      title={
        <div data-testid="sync-badge-details">
          {lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      }
    >
      <Tag
        color={colour}
        icon={icons[status.state]}
        variant="outlined"
        className="hc-sync-badge"
        data-testid="sync-badge"
        data-state={status.state}
        data-queue={status.queueLength}
        data-failed={status.failedCount}
        data-last-contact={status.lastContactAt ?? ''}
        role="button"
        tabIndex={0}
        aria-label={lines.join(' ')}
        onClick={onOpenSettings}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onOpenSettings();
          }
        }}
      >
        {parts.join(' · ')}
      </Tag>
    </Tooltip>
  );
}
