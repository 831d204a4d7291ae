import { Alert } from 'antd';
import { useConnectionState } from '../../api/api-context';
import { useI18n } from '../../i18n';

/**
 * Shown while the event channel is down; the page keeps everything typed meanwhile. The first
 * connection at start-up takes a moment and is not announced, so that nothing flashes.
 */
export function ConnectionBanner() {
  const { t } = useI18n();
  const state = useConnectionState();
  if (state !== 'disconnected') return null;
  return (
    <Alert
      banner
      type="warning"
      title={t('connection.lost')}
      data-testid="connection-banner"
      data-state={state}
    />
  );
}
