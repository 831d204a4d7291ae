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

  return {
    size: suggestible.length,
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
