import { describe, expect, it } from 'vitest';
import type { Hotspot } from '../../../../src-main/contract';
import { describeHotspot, withHotspot } from '../../../../src-renderer/features/hotspots/hotspot-list';
import { translate, type MessageKey, type MessageParams } from '../../../../src-renderer/i18n';

const t = (key: MessageKey, params?: MessageParams) => translate('zh-CN', key, params);

function hotspot(placeLabel: string, count: number, lastAt: string, kind: Hotspot['kind'] = 'cluster'): Hotspot {
  return { kind, windowDays: 7, placeLabel, category: '燃气', count, expected: kind === 'surge' ? 1.6 : null, firstAt: '2025-05-01T08:00:00.000Z', lastAt, caseCodes: [] };
}

describe('the list of hotspots', () => {
  it('replaces a hotspot that grew instead of listing it twice, latest activity first', () => {
    let list = withHotspot([], hotspot('和平里街道', 3, '2025-05-02T08:00:00.000Z'));
    list = withHotspot(list, hotspot('望京街道', 4, '2025-05-03T08:00:00.000Z'));
    list = withHotspot(list, hotspot('和平里街道', 5, '2025-05-04T08:00:00.000Z'));
    expect(list.map((item) => [item.placeLabel, item.count])).toEqual([
      ['和平里街道', 5],
      ['望京街道', 4],
    ]);
    // A surge on the same place is another alert.
    expect(withHotspot(list, hotspot('和平里街道', 9, '2025-05-01T08:00:00.000Z', 'surge'))).toHaveLength(3);
  });

  it('says what it is in the words of the alert', () => {
    expect(describeHotspot(hotspot('和平里街道', 3, '2025-05-02T08:00:00.000Z'), t)).toBe('热点：和平里街道燃气 7 天内 3 件');
    expect(describeHotspot(hotspot('东城区', 9, '2025-05-02T08:00:00.000Z', 'surge'), t)).toBe('来电突增：东城区燃气 9 件，平时约 2 件');
  });
});
