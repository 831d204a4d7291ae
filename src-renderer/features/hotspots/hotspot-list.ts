import type { Hotspot } from '../../../src-main/contract';
import type { Translate } from '../../i18n';

/** The window the console asks hotspots for, and names when it tells of one. */
export const hotspotWindowDays = 7;

/** One hotspot is one kind of alert on one place and matter; it grows, it is not repeated. */
export function hotspotKey(hotspot: Hotspot): string {
  return `${hotspot.kind}\u0000${hotspot.placeLabel}\u0000${hotspot.category ?? ''}`;
}

/** The list with `hotspot` added, or replacing the earlier state of the same one; latest activity first. */
export function withHotspot(list: readonly Hotspot[], hotspot: Hotspot): Hotspot[] {
  const key = hotspotKey(hotspot);
  return sortedByActivity([...list.filter((known) => hotspotKey(known) !== key), hotspot]);
}

export function sortedByActivity(list: readonly Hotspot[]): Hotspot[] {
  return [...list].sort((left, right) => (left.lastAt === right.lastAt ? right.count - left.count : left.lastAt < right.lastAt ? 1 : -1));
}

/** "热点：和平里街道燃气 7 天内 3 件", or for a busy day, how far above the usual it is. */
export function describeHotspot(hotspot: Hotspot, t: Translate): string {
  const params = { place: hotspot.placeLabel, category: hotspot.category ?? '', count: hotspot.count, days: hotspot.windowDays };
  return hotspot.kind === 'surge'
    ? t('hotspot.surge', { ...params, expected: Math.round(hotspot.expected ?? 0) })
    : t('hotspot.cluster', params);
}
