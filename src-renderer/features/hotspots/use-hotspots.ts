import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Hotspot } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { useI18n } from '../../i18n';
import { describeHotspot, hotspotKey, hotspotWindowDays, sortedByActivity, withHotspot } from './hotspot-list';

export interface Hotspots {
  /** Null until loaded, or when the service could not say. */
  list: Hotspot[] | null;
  refresh(): void;
}

/**
 * The current hotspots, kept up to date by `onHotspotDetected`. A new or grown hotspot is told in a
 * notification in the corner: it never takes the focus from the form the operator is typing in.
 */
export function useHotspots(): Hotspots {
  const api = useApi();
  const { notification } = App.useApp();
  const { t } = useI18n();
  const [list, setList] = useState<Hotspot[] | null>(null);

  const refresh = useCallback(() => {
    api.call('hotspots.list', { windowDays: hotspotWindowDays, minimumCases: 3 }).then(
      (found) => setList(sortedByActivity(found)),
      // The indicator says it does not know; nothing else depends on hotspots.
      () => setList(null),
    );
  }, [api]);

  useEffect(refresh, [refresh]);
  useReconnected(refresh);

  useEvent('onHotspotDetected', (hotspot) => {
    setList((previous) => withHotspot(previous ?? [], hotspot));
    notification.info({
      key: `hotspot-${hotspotKey(hotspot)}`,
      title: t('hotspot.newTitle'),
      description: describeHotspot(hotspot, t),
      duration: 12,
      props: { 'data-testid': 'hotspot-notification' } as React.HTMLAttributes<HTMLDivElement>,
    });
  });

  return { list, refresh };
}
