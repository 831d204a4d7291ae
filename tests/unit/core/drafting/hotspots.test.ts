import { describe, expect, it } from 'vitest';
import { findHotspots, type HotspotCase } from '../../../../src-main/core/drafting/hotspots';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;
// Noon in Beijing on 1 March 2024, so that a few hours either way stay on the same local day.
const start = Date.parse('2024-03-01T12:00:00+08:00');

let counter = 0;
function caseAt(offsetMs: number, placeKey: string | null = 'estate:望湖新苑', category: string | null = '城乡建设'): HotspotCase {
  counter += 1;
  return { id: `c${String(counter).padStart(5, '0')}`, occurredAt: new Date(start + offsetMs).toISOString(), placeKey, placeLabel: '朝阳区望京街道望湖新苑', category };
}
const clustersOf = (cases: readonly HotspotCase[], options: Parameters<typeof findHotspots>[1] = {}) =>
  findHotspots(cases, { surge: false, ...options }).filter((hotspot) => hotspot.kind === 'cluster');

describe('clusters', () => {
  it('finds three cases on one estate and category within seven days, the window edge included', () => {
    const cases = [caseAt(0), caseAt(3 * dayMs), caseAt(7 * dayMs)];
    expect(clustersOf(cases)).toEqual([
      {
        kind: 'cluster',
        placeKey: 'estate:望湖新苑',
        placeLabel: '朝阳区望京街道望湖新苑',
        category: '城乡建设',
        caseIds: cases.map((entry) => entry.id),
        count: 3,
        firstAt: cases[0]?.occurredAt,
        lastAt: cases[2]?.occurredAt,
      },
    ]);
  });

  it('finds nothing when the same three cases spread just beyond the window', () => {
    expect(clustersOf([caseAt(0), caseAt(3 * dayMs), caseAt(7 * dayMs + 60_000)])).toEqual([]);
    expect(clustersOf([caseAt(0), caseAt(10 * dayMs), caseAt(20 * dayMs), caseAt(30 * dayMs)])).toEqual([]);
  });

  it('follows the configured number of cases and window', () => {
    const cases = [caseAt(0), caseAt(dayMs), caseAt(2 * dayMs)];
    expect(clustersOf(cases, { minimumCases: 4 })).toEqual([]);
    expect(clustersOf(cases, { windowDays: 1 })).toEqual([]);
    expect(clustersOf(cases, { windowDays: 2 })).toHaveLength(1);
  });

  it('counts places and categories apart, and never clusters cases without a place', () => {
    const cases = [
      caseAt(0, 'estate:望湖新苑', '城乡建设'),
      caseAt(dayMs, 'estate:望湖新苑', '环境保护'),
      caseAt(2 * dayMs, 'estate:芳城园一区', '城乡建设'),
      caseAt(3 * dayMs, null, '城乡建设'),
      caseAt(3 * dayMs, null, '城乡建设'),
      caseAt(3 * dayMs, null, '城乡建设'),
    ];
    expect(clustersOf(cases)).toEqual([]);
  });

  it('clusters uncategorised cases by place alone, apart from categorised ones', () => {
    const uncategorised = [caseAt(0, 'estate:丽发新城', null), caseAt(dayMs, 'estate:丽发新城', null), caseAt(2 * dayMs, 'estate:丽发新城', null)];
    const categorised = caseAt(2 * dayMs, 'estate:丽发新城', '环境保护');
    const [cluster, ...others] = clustersOf([...uncategorised, categorised]);
    expect(others).toEqual([]);
    expect(cluster).toMatchObject({ placeKey: 'estate:丽发新城', category: null, count: 3, caseIds: uncategorised.map((entry) => entry.id) });
  });

  it('makes one hotspot of a place that stays hot, and a new one after a quiet spell', () => {
    const firstWave = Array.from({ length: 6 }, (_, day) => caseAt(day * 2 * dayMs));
    const secondWave = Array.from({ length: 3 }, (_, day) => caseAt(40 * dayMs + day * hourMs));
    const clusters = clustersOf([...secondWave, ...firstWave]);
    expect(clusters.map((cluster) => cluster.count)).toEqual([3, 6]);
    expect(clusters[1]?.caseIds).toEqual(firstWave.map((entry) => entry.id));
  });

  it('with a time given, reports only clusters still live then and ignores later cases', () => {
    const earlier = [caseAt(0), caseAt(dayMs), caseAt(2 * dayMs)];
    const later = [caseAt(30 * dayMs), caseAt(31 * dayMs), caseAt(32 * dayMs)];
    const cases = [...earlier, ...later];
    expect(clustersOf(cases, { now: new Date(start + 5 * dayMs) }).map((cluster) => cluster.count)).toEqual([3]);
    expect(clustersOf(cases, { now: new Date(start + 20 * dayMs) })).toEqual([]);
    expect(clustersOf(cases, { now: new Date(start + 31 * dayMs + hourMs) })).toEqual([]);
    expect(clustersOf(cases, { now: new Date(start + 33 * dayMs) })[0]?.caseIds).toEqual(later.map((entry) => entry.id));
  });

  it('labels a cluster with the label most of its cases give', () => {
    const cases = [caseAt(0), caseAt(dayMs), { ...caseAt(2 * dayMs), placeLabel: '望湖新苑' }];
    expect(clustersOf(cases)[0]?.placeLabel).toBe('朝阳区望京街道望湖新苑');
  });

  it('leaves out cases whose time cannot be read', () => {
    expect(clustersOf([caseAt(0), caseAt(dayMs), { ...caseAt(2 * dayMs), occurredAt: 'yesterday' }])).toEqual([]);
  });

  it('refuses a minimum below two cases or a window that is not positive', () => {
    expect(() => findHotspots([], { minimumCases: 1 })).toThrow(RangeError);
    expect(() => findHotspots([], { windowDays: 0 })).toThrow(RangeError);
  });
});

describe('surges', () => {
  /** Cases over consecutive days, `counts[day]` on each, spread over the day's working hours. */
  function series(counts: readonly number[], category: string | null = '城乡建设'): HotspotCase[] {
    return counts.flatMap((count, day) => Array.from({ length: count }, (_, index) => caseAt(day * dayMs - 3 * hourMs + (index * 6 * hourMs) / Math.max(1, count), null, category)));
  }
  const surgesOf = (cases: readonly HotspotCase[], options: Parameters<typeof findHotspots>[1] = {}) =>
    findHotspots(cases, options).filter((hotspot) => hotspot.kind === 'surge');
  // Four weeks of an ordinary level, with the ups and downs of real days.
  const ordinary = Array.from({ length: 35 }, (_, day) => [9, 11, 10, 12, 8, 10, 11][day % 7] as number);

  it('finds a day far above its usual level, per category and over all cases', () => {
    const cases = series([...ordinary, 40]);
    const surges = surgesOf(cases);
    expect(surges.map((surge) => ({ category: surge.category, count: surge.count, expected: surge.expected }))).toEqual([
      { category: null, count: 40, expected: 10 },
      { category: '城乡建设', count: 40, expected: 10 },
    ]);
    expect(surges[1]?.caseIds).toEqual(cases.slice(-40).map((entry) => entry.id));
  });

  it('finds nothing on a flat series or an ordinary busy day', () => {
    expect(surgesOf(series(Array.from({ length: 60 }, () => 10)))).toEqual([]);
    expect(surgesOf(series([...ordinary, 16]))).toEqual([]);
  });

  it('finds a rise in a category that is usually quiet, but not a handful of cases', () => {
    const quiet = Array.from({ length: 30 }, (_, day) => (day % 5 === 0 ? 1 : 0));
    expect(surgesOf(series([...quiet, 8], '卫生计生')).map((surge) => surge.count)).toEqual([8, 8]);
    expect(surgesOf(series([...quiet, 3], '卫生计生'))).toEqual([]);
  });

  it('does not judge a day without enough history, nor count the days before the first case as quiet', () => {
    expect(surgesOf(series([10, 10, 10, 10, 10, 40]))).toEqual([]);
  });

  it('is not fooled by an earlier surge in the baseline', () => {
    const withEarlierSurge = [...ordinary.slice(0, 20), 60, ...ordinary.slice(21)];
    // Newest first: the later day is still found, its bar set by the median, not by the 60.
    expect(surgesOf(series([...withEarlierSurge, 40])).map((surge) => surge.count)).toEqual([40, 40, 60, 60]);
  });

  it('with a time given, judges only the days within the window', () => {
    const cases = series([...ordinary, 40, ...ordinary.slice(0, 10)]);
    expect(surgesOf(cases, { now: new Date(start + 36 * dayMs) })).toHaveLength(2);
    expect(surgesOf(cases, { now: new Date(start + 44 * dayMs) })).toEqual([]);
  });

  it('can be turned off', () => {
    expect(surgesOf(series([...ordinary, 40]), { surge: false })).toEqual([]);
  });
});

describe('cost and determinism', () => {
  it('handles 10,000 cases in well under a second, whatever their order', () => {
    const places = Array.from({ length: 400 }, (_, index) => `estate:小区${index}`);
    const categories = ['城乡建设', '环境保护', '交通运输', null];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const cases = Array.from({ length: 10_000 }, () =>
      caseAt(Math.floor(random() * 90 * dayMs), places[Math.floor(random() * places.length)] ?? null, categories[Math.floor(random() * categories.length)] ?? null),
    );
    const started = performance.now();
    const hotspots = findHotspots(cases);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hotspots.length).toBeGreaterThan(0);
    const shuffled = [...cases].sort(() => random() - 0.5);
    expect(findHotspots(shuffled)).toEqual(hotspots);
  });
});
