/** A case as hotspot detection sees it. */
export interface HotspotCase {
  id: string;
  /** ISO 8601 with a zone (2019-08-01T20:06:52+08:00 or …Z). Cases with an unreadable time are left out. */
  occurredAt: string;
  /** From `estateKey`: cases with the same key are about the same place. Null when no place is known. */
  placeKey: string | null;
  /** How the place is shown (东城区和平里街道和平里七区). */
  placeLabel: string;
  /** First-level category, or null when not yet known. */
  category: string | null;
}

export interface Hotspot {
  /** A cluster: many cases on one place and category within days. A surge: a day far above its usual count. */
  kind: 'cluster' | 'surge';
  /** The place of a cluster; null for a surge, which counts the whole city. */
  placeKey: string | null;
  /** The label the cluster's cases give their place most often; '' for a surge. */
  placeLabel: string;
  /** The category of a cluster or surge; null for a cluster of uncategorised cases or a surge over all cases. */
  category: string | null;
  /** Oldest first. */
  caseIds: string[];
  count: number;
  firstAt: string;
  lastAt: string;
  /** For a surge: the usual count of a day (the median of the baseline days). */
  expected?: number;
}

export interface SurgeOptions {
  /** Days before the day in question that make its usual level. Default 28: four weeks, so each weekday counts alike. */
  baselineDays?: number;
  /** Fewer baseline days than this (a new console, a new category) and no day is judged. Default 14. */
  minimumHistoryDays?: number;
  /** A day with fewer cases is never a surge, however quiet the days before. Default 5. */
  minimumCount?: number;
  /** How many spreads above the median a day must reach. Default 3. */
  spreads?: number;
}

export interface HotspotOptions {
  /** Cases on one place and category that make a cluster. Default 3. */
  minimumCases?: number;
  /** The span, in days, all of a cluster's cases must fall within. Default 7. */
  windowDays?: number;
  /**
   * With `now`, only hotspots that are still live: clusters whose latest case lies within the
   * window before `now`, surges on days within it; cases after `now` are ignored. Without it,
   * every hotspot in the cases given (for reviewing history).
   */
  now?: Date;
  /** Surge detection, or false for clusters only. */
  surge?: SurgeOptions | false;
  /** Where days begin: minutes east of UTC. Default 480, China Standard Time. */
  timeZoneOffsetMinutes?: number;
}

const dayMs = 24 * 60 * 60 * 1000;
const defaults = {
  minimumCases: 3,
  windowDays: 7,
  timeZoneOffsetMinutes: 480,
  baselineDays: 28,
  minimumHistoryDays: 14,
  minimumCount: 5,
  spreads: 3,
};
// The median absolute deviation times this estimates the standard deviation of normal data.
const madToStandardDeviation = 1.4826;

interface TimedCase {
  source: HotspotCase;
  time: number;
}

/**
 * Hotspots among the cases: clusters (at least `minimumCases` cases on the same place and category
 * with all of them within `windowDays`) and surges (a day whose count, per category or over all
 * cases, is far above its usual level). Deterministic; sorted newest first, then largest.
 * Sorting dominates the cost: 10,000 cases take a few milliseconds.
 */
export function findHotspots(cases: readonly HotspotCase[], options: HotspotOptions = {}): Hotspot[] {
  const minimumCases = options.minimumCases ?? defaults.minimumCases;
  const windowDays = options.windowDays ?? defaults.windowDays;
  if (!Number.isInteger(minimumCases) || minimumCases < 2) throw new RangeError(`minimumCases must be an integer of at least 2, not ${minimumCases}`);
  if (!(windowDays > 0)) throw new RangeError(`windowDays must be positive, not ${windowDays}`);
  const now = options.now?.getTime();

  const timed: TimedCase[] = [];
  for (const source of cases) {
    const time = Date.parse(source.occurredAt);
    if (Number.isNaN(time) || (now !== undefined && time > now)) continue;
    timed.push({ source, time });
  }
  // One order for everything after: by time, then id, so that equal times give the same result.
  timed.sort((a, b) => a.time - b.time || (a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0));

  const hotspots = [...findClusters(timed, minimumCases, windowDays * dayMs, now)];
  if (options.surge !== false) {
    hotspots.push(...findSurges(timed, { ...defaults, ...options.surge }, options.timeZoneOffsetMinutes ?? defaults.timeZoneOffsetMinutes, windowDays, now));
  }
  return hotspots.sort(
    (a, b) =>
      Date.parse(b.lastAt) - Date.parse(a.lastAt) ||
      b.count - a.count ||
      compareText(a.kind, b.kind) ||
      compareText(a.placeKey ?? '', b.placeKey ?? '') ||
      compareText(a.category ?? '', b.category ?? ''),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Per place and category, every stretch in which some `windowMs` holds `minimumCases` cases;
 * overlapping stretches are one cluster, so a place that stays hot for weeks is one hotspot whose
 * count grows, not a new alert every day. A case without a category is not assumed to be about any
 * category: uncategorised cases cluster among themselves, by place alone.
 */
function* findClusters(timed: readonly TimedCase[], minimumCases: number, windowMs: number, now: number | undefined): Generator<Hotspot> {
  const groups = new Map<string, TimedCase[]>();
  for (const entry of timed) {
    const { placeKey, category } = entry.source;
    if (placeKey === null) continue;
    const groupKey = `${placeKey}\u0000${category ?? ''}\u0000${category === null ? 'none' : 'some'}`;
    const group = groups.get(groupKey);
    if (group) group.push(entry);
    else groups.set(groupKey, [entry]);
  }
  for (const group of groups.values()) {
    if (group.length < minimumCases) continue;
    let episodeStart = -1;
    let episodeEnd = -1;
    let windowStart = 0;
    const episodes: [number, number][] = [];
    for (let windowEnd = 0; windowEnd < group.length; windowEnd += 1) {
      const endTime = (group[windowEnd] as TimedCase).time;
      while (endTime - (group[windowStart] as TimedCase).time > windowMs) windowStart += 1;
      if (windowEnd - windowStart + 1 < minimumCases) continue;
      // This window shares cases with the episode so far: the same hotspot goes on.
      if (episodeEnd >= windowStart) episodeEnd = windowEnd;
      else {
        if (episodeEnd >= 0) episodes.push([episodeStart, episodeEnd]);
        episodeStart = windowStart;
        episodeEnd = windowEnd;
      }
    }
    if (episodeEnd >= 0) episodes.push([episodeStart, episodeEnd]);
    for (const [start, end] of episodes) {
      const members = group.slice(start, end + 1);
      const last = members[members.length - 1] as TimedCase;
      if (now !== undefined && now - last.time > windowMs) continue;
      const first = members[0] as TimedCase;
      yield {
        kind: 'cluster',
        placeKey: first.source.placeKey,
        placeLabel: commonestLabel(members),
        category: first.source.category,
        caseIds: members.map((member) => member.source.id),
        count: members.length,
        firstAt: first.source.occurredAt,
        lastAt: last.source.occurredAt,
      };
    }
  }
}

/** The label most cases give their place; among equals, the latest. */
function commonestLabel(members: readonly TimedCase[]): string {
  const counts = new Map<string, number>();
  let best = '';
  for (const { source } of members) {
    if (source.placeLabel === '') continue;
    const count = (counts.get(source.placeLabel) ?? 0) + 1;
    counts.set(source.placeLabel, count);
    if (count >= (counts.get(best) ?? 0)) best = source.placeLabel;
  }
  return best;
}

/**
 * Days whose count stands far above the usual level, per category and over all cases.
 *
 * The usual level is robust: the median of the previous `baselineDays` days (quiet days count as
 * zero), and the spread the larger of the median absolute deviation (scaled to a standard
 * deviation), the square root of the median (the noise of a count around that level, as for a
 * Poisson count), and one case. A mean and standard deviation would let one earlier surge raise the
 * bar for weeks; the median and MAD ignore it. A day is a surge when its count reaches
 * median + `spreads` × spread and at least `minimumCount`, so that three cases on a day that
 * usually has none do not alert the shift lead. Days before the first case are not counted as
 * quiet: a console's first weeks would otherwise look like a surge.
 */
function findSurges(
  timed: readonly TimedCase[],
  options: Required<SurgeOptions>,
  timeZoneOffsetMinutes: number,
  windowDays: number,
  now: number | undefined,
): Hotspot[] {
  if (timed.length === 0) return [];
  const offsetMs = timeZoneOffsetMinutes * 60 * 1000;
  const dayOf = (time: number) => Math.floor((time + offsetMs) / dayMs);
  const firstDay = dayOf((timed[0] as TimedCase).time);
  // With `now`, only days within the window up to today are judged.
  const firstJudgedDay = now === undefined ? -Infinity : dayOf(now) - Math.ceil(windowDays) + 1;

  const series = new Map<string | null, Map<number, TimedCase[]>>();
  const addTo = (category: string | null, entry: TimedCase) => {
    const days = series.get(category) ?? new Map<number, TimedCase[]>();
    series.set(category, days);
    const day = dayOf(entry.time);
    const list = days.get(day);
    if (list) list.push(entry);
    else days.set(day, [entry]);
  };
  for (const entry of timed) {
    addTo(null, entry);
    if (entry.source.category !== null) addTo(entry.source.category, entry);
  }

  const surges: Hotspot[] = [];
  for (const [category, days] of series) {
    for (const [day, entries] of days) {
      if (day < firstJudgedDay || entries.length < options.minimumCount) continue;
      const baselineStart = Math.max(firstDay, day - options.baselineDays);
      if (day - baselineStart < options.minimumHistoryDays) continue;
      const baseline: number[] = [];
      for (let earlier = baselineStart; earlier < day; earlier += 1) baseline.push(days.get(earlier)?.length ?? 0);
      const median = medianOf(baseline);
      const spread = Math.max(madToStandardDeviation * medianOf(baseline.map((count) => Math.abs(count - median))), Math.sqrt(median), 1);
      if (entries.length < median + options.spreads * spread) continue;
      surges.push({
        kind: 'surge',
        placeKey: null,
        placeLabel: '',
        category,
        caseIds: entries.map((entry) => entry.source.id),
        count: entries.length,
        firstAt: (entries[0] as TimedCase).source.occurredAt,
        lastAt: (entries[entries.length - 1] as TimedCase).source.occurredAt,
        expected: median,
      });
    }
  }
  return surges;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
