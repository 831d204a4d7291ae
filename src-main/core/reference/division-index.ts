import type { AddressSuggestion } from '../../contract';
import type { DivisionRow } from './reference-schemas';

type DivisionLevel = DivisionRow[2];

// Statistical grouping nodes of the national list, not places anyone names: they are kept as
// links in the parent chain but never suggested, and left out of full names.
const groupingNames = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
// Under a municipality (北京市, 重庆市...) these groupings stand where a city would.
const municipalityGroupingNames = new Set(['市辖区', '县']);

// Longest first, so that "自治县" wins over "县" when a typed name is compared without its suffix.
const nameSuffixes = [
  '街道办事处', '特别行政区', '自治区', '自治州', '自治县', '自治旗', '街道', '地区', '新区', '林区', '矿区',
  '苏木', '镇', '乡', '区', '县', '市', '省', '旗', '盟',
];

const levelRank: Record<DivisionLevel, number> = { province: 0, city: 1, district: 2, street: 3 };

// Lower is better: how closely the typed text matches, used to sort after the preferred region.
const MatchTier = { ExactName: 0, NameWithoutSuffix: 1, NamePrefix: 2, NameContains: 3, AcrossLevels: 4 } as const;
type MatchTier = (typeof MatchTier)[keyof typeof MatchTier];

// Joins the names of a chain so that one `includes` tells whether a query lies inside a single
// name; no division name holds this character.
const chainSeparator = '\u0001';

interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parent: Division | undefined;
  /** Grouping nodes and mirrors (东莞市 repeated as its own district) are never suggested. */
  suggestible: boolean;
  fullName: string;
  chainNames: string;
  preferred: boolean;
}

export interface DivisionIndex {
  /** How many places can be suggested. */
  readonly size: number;
  suggest(text: string, limit: number): AddressSuggestion[];
  /**
   * Names of districts and streets, each also without its suffix (望京街道 and 望京), for the
   * segmentation dictionary, so that place names stay whole words in search.
   */
  placeNames(): string[];
  /** Division names found in free text and resolved to one consistent chain. */
  readonly places: PlaceGazetteer;
}

/** A division as the gazetteer gives it: its chain of names, and whether the console serves it. */
export interface GazetteerPlace extends AddressSuggestion {
  /** Whether the place lies in the preferred region (the city the console serves). */
  inPreferredRegion: boolean;
}

/** Words of a text that name a division: characters [start, end). */
export interface PlaceMention {
  start: number;
  end: number;
  text: string;
  /**
   * Whether the words hold a division's suffix (和平里街道, or 回龙观镇 for 回龙观街道), not only its
   * stem (和平里). A bare stem is weaker evidence: it is also the start of many estate and road names.
   */
  withSuffix: boolean;
  /** Every division the words may name: 朝阳 names 朝阳区 in Beijing and in 长春, and 朝阳市. */
  codes: readonly string[];
}

export interface PlaceResolution {
  /**
   * The most precise division that the mentions agree on. When two readings explain them equally
   * well (a street name twice in the region), the nearest place both lie in, or null.
   */
  place: GazetteerPlace | null;
  /** The mentions the place rests on, in the order given; the others name places elsewhere. */
  supporting: PlaceMention[];
  ambiguous: boolean;
}

/**
 * Finds district and street names in what a caller says or writes, and settles which divisions they
 * mean by the parent chain: a street said with its district, places in the preferred region first,
 * and a street name alone resolving its district and city where it is unique.
 */
export interface PlaceGazetteer {
  /** Division-code prefix of the region the console serves ('11' for Beijing), or null for none. */
  readonly preferredRegionCode: string | null;
  /**
   * Division names in the text, left to right and never overlapping, the longest name first at each
   * position. A bare stem counts only where it stands as a word of its own (望京那边, 在方庄，),
   * not at the start of a longer name (和平里七区, 八角北路); and a bare stem of a place outside the
   * region only beside a full name that agrees with it (工人新村 is an estate in Beijing before it
   * is a street in 唐山).
   */
  findPlaces(text: string): PlaceMention[];
  /**
   * The divisions that exactly these words name, with or without suffix, wherever they stand: for
   * the start of a longer name (回龙观 of 回龙观龙锦东苑), which `findPlaces` leaves alone.
   */
  lookUp(words: string): PlaceMention | undefined;
  /** The one chain the mentions agree on best; null when none of them names a usable place. */
  resolve(mentions: readonly PlaceMention[]): PlaceResolution | null;
  place(code: string): GazetteerPlace | undefined;
}

function stemOf(name: string): string {
  for (const suffix of nameSuffixes) {
    if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return name;
}

/**
 * Builds the look-up once at load, checking as it goes that codes are unique and that every
 * parent comes before its children (the build script writes them so), which lets each row find
 * its whole chain already resolved. `reject` is called with the row index and must throw.
 * The suggestion objects are made only for the results, since a look-up returns a handful out of
 * tens of thousands of places.
 */
export function buildDivisionIndex(
  rows: readonly DivisionRow[],
  preferredRegionCode: string | undefined,
  reject: (rowIndex: number, problem: string) => never,
): DivisionIndex {
  const byCode = new Map<string, Division>();
  const suggestible: Division[] = [];

  rows.forEach(([code, name, level, parentCode], rowIndex) => {
    if (byCode.has(code)) reject(rowIndex, `code ${code} appears twice`);
    if ((level === 'province') !== (parentCode === null)) reject(rowIndex, 'a province, and only a province, has no parent code');
    const parent = parentCode === null ? undefined : byCode.get(parentCode);
    if (parentCode !== null && parent === undefined) reject(rowIndex, `parent code ${parentCode} does not appear on an earlier line`);
    const isGrouping = groupingNames.has(name);
    const mirrorsParent = parent !== undefined && parent.name === name;
    const skipInNames = isGrouping || mirrorsParent;
    const division: Division = {
      code,
      name,
      level,
      parent,
      suggestible: !skipInNames,
      fullName: skipInNames ? (parent?.fullName ?? '') : (parent?.fullName ?? '') + name,
      chainNames: skipInNames ? (parent?.chainNames ?? '') : (parent?.chainNames ?? '') + chainSeparator + name,
      preferred: preferredRegionCode !== undefined && code.startsWith(preferredRegionCode),
    };
    byCode.set(code, division);
    if (division.suggestible) suggestible.push(division);
  });

  let gazetteer: PlaceGazetteer | undefined;

  return {
    size: suggestible.length,
    // Built on first use: the console's start-up (and every test that loads the reference data)
    // should not pay for a name index that only drafting needs.
    get places() {
      return (gazetteer ??= buildPlaceGazetteer(suggestible, byCode, preferredRegionCode ?? null));
    },
    placeNames() {
      const names = new Set<string>();
      for (const division of suggestible) {
        if (division.level !== 'district' && division.level !== 'street') continue;
        names.add(division.name);
        const stem = stemOf(division.name);
        if (stem.length >= 2) names.add(stem);
      }
      return [...names];
    },
    suggest(text, limit) {
      const query = text.replace(/\s+/g, '');
      if (query === '' || limit <= 0) return [];
      const matches: { division: Division; tier: MatchTier }[] = [];
      for (const division of suggestible) {
        const tier = matchTier(division, query);
        if (tier !== undefined) matches.push({ division, tier });
      }
      matches.sort(
        (a, b) =>
          Number(b.division.preferred) - Number(a.division.preferred) ||
          a.tier - b.tier ||
          levelRank[a.division.level] - levelRank[b.division.level] ||
          (a.division.code < b.division.code ? -1 : 1),
      );
      return matches.slice(0, limit).map(({ division }) => toSuggestion(division));
    },
  };
}

function matchTier(division: Division, query: string): MatchTier | undefined {
  // A suggestible name always ends its full name, so this one test rejects almost every place.
  if (!division.fullName.includes(query)) return undefined;
  const { name } = division;
  if (name.startsWith(query)) {
    if (name.length === query.length) return MatchTier.ExactName;
    // Only a name that starts with the query can equal it without its suffix.
    return stemOf(name) === query ? MatchTier.NameWithoutSuffix : MatchTier.NamePrefix;
  }
  if (name.includes(query)) return MatchTier.NameContains;
  // "朝阳区望京" spans two names; "朝阳" alone must not pull in every street of 朝阳区.
  return division.chainNames.includes(query) ? undefined : MatchTier.AcrossLevels;
}

function toSuggestion(division: Division): AddressSuggestion {
  const suggestion: AddressSuggestion = {
    code: division.code,
    name: division.name,
    level: division.level,
    fullName: division.fullName,
    province: '',
    city: '',
    district: '',
    street: '',
  };
  let cityNode: Division | undefined;
  for (let node: Division | undefined = division; node !== undefined; node = node.parent) {
    if (node.level === 'province') suggestion.province = node.name;
    if (node.level === 'city') cityNode = node;
    if (node.level === 'district') suggestion.district = node.name;
    if (node.level === 'street') suggestion.street = node.name;
  }
  if (cityNode !== undefined) {
    // A municipality is its own city (北京市朝阳区 lies in the city 北京市), while a county under
    // 省直辖县级行政区划 has no city between it and the province.
    if (municipalityGroupingNames.has(cityNode.name)) suggestion.city = suggestion.province;
    else if (!groupingNames.has(cityNode.name)) suggestion.city = cityNode.name;
  }
  return suggestion;
}

// A stem stands as a word of its own when the text goes on with one of these (望京那边, 方庄附近),
// with a division suffix (回龙观镇), or with no Chinese at all.
const wordAfterStem = /^(?:[的那这边旁]|附近|一带|周边|周围|片区|方向)/u;
// ...and when it follows one of these, or nothing Chinese (在方庄, 家住望京, 朝阳区望京), or the
// suffix of a division the gazetteer does not know (the anonymised A7县 of published data).
const wordBeforeStem = new Set([...'在是住到去从的家于和与及近市区县镇乡']);
const hanCharacter = /\p{Script=Han}/u;
// A stem of one character (城 of 城区, 沙 of 沙县) is in too many words to mean the place, and a
// name without any suffix must be this long (农场 and 城南 are words before they are places).
const minimumStemLength = 2;
const minimumBareNameLength = 3;

interface NameEntry {
  divisions: Division[];
  withSuffix: boolean;
}

function buildPlaceGazetteer(
  suggestible: readonly Division[],
  byCode: ReadonlyMap<string, Division>,
  preferredRegionCode: string | null,
): PlaceGazetteer {
  // Every suggestible name with its suffix and without; the full name wins where a name of one
  // place is the stem of another. Look-up goes by the first two characters (every name has at
  // least two), trying only the lengths that names starting so have, longest first: at most
  // positions of a text a single probe shows that no name starts there.
  const entries = new Map<string, NameEntry>();
  const addName = (name: string, division: Division, withSuffix: boolean) => {
    const entry = entries.get(name);
    if (entry === undefined) entries.set(name, { divisions: [division], withSuffix });
    else if (entry.withSuffix === withSuffix) entry.divisions.push(division);
    else if (withSuffix) entries.set(name, { divisions: [division], withSuffix });
  };
  for (const division of suggestible) {
    const stem = stemOf(division.name);
    if (stem === division.name) {
      if (division.name.length >= minimumBareNameLength) addName(division.name, division, false);
      continue;
    }
    if (stem.length < minimumStemLength) continue;
    addName(division.name, division, true);
    addName(stem, division, false);
  }
  const lengthsByStart = new Map<string, number[]>();
  let longestName = 0;
  for (const name of entries.keys()) {
    const start = name.slice(0, 2);
    const lengths = lengthsByStart.get(start) ?? [];
    if (!lengths.includes(name.length)) lengths.push(name.length);
    lengthsByStart.set(start, lengths);
    longestName = Math.max(longestName, name.length);
  }
  for (const lengths of lengthsByStart.values()) lengths.sort((a, b) => b - a);

  const isPreferred = (division: Division) => division.preferred;
  const hasPreferredRegion = preferredRegionCode !== null;

  const toPlace = (division: Division): GazetteerPlace => ({ ...toSuggestion(division), inPreferredRegion: division.preferred });
  const divisionsOf = (mention: PlaceMention) =>
    mention.codes.map((code) => byCode.get(code)).filter((division): division is Division => division !== undefined);

  function matchAt(text: string, at: number, previousEnd: number): PlaceMention | undefined {
    const lengths = lengthsByStart.get(text.slice(at, at + 2));
    if (lengths === undefined) return undefined;
    for (const length of lengths) {
      if (at + length > text.length) continue;
      const words = text.slice(at, at + length);
      const entry = entries.get(words);
      if (entry === undefined) continue;
      const codes = entry.divisions.map((division) => division.code);
      if (entry.withSuffix) return { start: at, end: at + length, text: words, withSuffix: true, codes };
      const previous = text[at - 1];
      const standsAfter = previous === undefined || at === previousEnd || !hanCharacter.test(previous) || wordBeforeStem.has(previous);
      if (!standsAfter) continue;
      const after = text.slice(at + length, at + length + longestName);
      const suffix = nameSuffixes.find((candidate) => after.startsWith(candidate));
      if (suffix !== undefined) {
        return { start: at, end: at + length + suffix.length, text: words + suffix, withSuffix: true, codes };
      }
      if (after === '' || !hanCharacter.test(after[0] as string) || wordAfterStem.test(after) || startsFullName(after)) {
        return { start: at, end: at + length, text: words, withSuffix: false, codes };
      }
    }
    return undefined;
  }

  // 北京朝阳区: a stem followed at once by a full name stands as a word.
  function startsFullName(text: string): boolean {
    for (const length of lengthsByStart.get(text.slice(0, 2)) ?? []) {
      if (entries.get(text.slice(0, length))?.withSuffix) return true;
    }
    return false;
  }

  // Whether one of the divisions lies on the chain of another (or is it).
  const onChain = (lower: Division, upper: Division) => {
    for (let node: Division | undefined = lower; node !== undefined; node = node.parent) if (node === upper) return true;
    return false;
  };
  const related = (a: Division, b: Division) => onChain(a, b) || onChain(b, a);

  return {
    preferredRegionCode,
    place: (code) => {
      const division = byCode.get(code);
      return division?.suggestible ? toPlace(division) : undefined;
    },
    lookUp(words) {
      const entry = entries.get(words);
      if (entry === undefined) return undefined;
      return { start: 0, end: words.length, text: words, withSuffix: entry.withSuffix, codes: entry.divisions.map((division) => division.code) };
    },
    findPlaces(text) {
      const found: PlaceMention[] = [];
      let previousEnd = -1;
      for (let at = 0; at < text.length; ) {
        const mention = matchAt(text, at, previousEnd);
        if (mention === undefined) {
          at += 1;
          continue;
        }
        found.push(mention);
        previousEnd = mention.end;
        at = mention.end;
      }
      if (!hasPreferredRegion) return found;
      // A bare stem of places all outside the region stays only beside a full name of its chain.
      const fullNames = found.filter((mention) => mention.withSuffix).flatMap(divisionsOf);
      return found.filter((mention) => {
        if (mention.withSuffix) return true;
        const divisions = divisionsOf(mention);
        return divisions.some(isPreferred) || divisions.some((division) => fullNames.some((other) => related(division, other)));
      });
    },
    resolve(mentions) {
      // Each division any mention may name is a reading; it is supported by every mention that names
      // it or a place above it. A full name weighs twice a bare stem. Best: most support, then the
      // preferred region, then the most precise level.
      interface Reading {
        division: Division;
        support: number;
        supporting: PlaceMention[];
      }
      const readings = new Map<Division, Reading>();
      for (const mention of mentions) {
        for (const division of divisionsOf(mention)) {
          if (readings.has(division)) continue;
          const supporting = mentions.filter((other) => divisionsOf(other).some((candidate) => onChain(division, candidate)));
          // Outside the region, only a full name makes a reading: a stem there is too weak alone.
          if (hasPreferredRegion && !division.preferred && !supporting.some((other) => other.withSuffix)) continue;
          const support = supporting.reduce((sum, other) => sum + (other.withSuffix ? 2 : 1), 0);
          readings.set(division, { division, support, supporting });
        }
      }
      const ranked = [...readings.values()].sort(
        (a, b) =>
          b.support - a.support ||
          Number(b.division.preferred) - Number(a.division.preferred) ||
          levelRank[b.division.level] - levelRank[a.division.level] ||
          (a.division.code < b.division.code ? -1 : 1),
      );
      const best = ranked[0];
      if (best === undefined) return null;
      const equallyGood = ranked.filter(
        (reading) =>
          reading.support === best.support &&
          reading.division.preferred === best.division.preferred &&
          reading.division.level === best.division.level,
      );
      if (equallyGood.length === 1) return { place: toPlace(best.division), supporting: best.supporting, ambiguous: false };
      // Two 八里庄街道 in Beijing: keep what both readings share (北京市), not a guess between them.
      let shared: Division | undefined = best.division.parent;
      let throughMunicipality = false;
      while (shared !== undefined && !(shared.suggestible && equallyGood.every((reading) => onChain(reading.division, shared as Division)))) {
        throughMunicipality ||= municipalityGroupingNames.has(shared.name);
        shared = shared.parent;
      }
      const supporting = mentions.filter((mention) => equallyGood.some((reading) => reading.supporting.includes(mention)));
      if (shared === undefined) return { place: null, supporting, ambiguous: true };
      const place = toPlace(shared);
      // A municipality is its own city: both 八里庄街道 lie in the city 北京市.
      if (throughMunicipality && place.level === 'province') place.city = place.province;
      return { place, supporting, ambiguous: true };
    },
  };
}
