import type { CaseAddress, ProposedAddress } from '../../contract';
import type { PlaceGazetteer, PlaceMention } from '../reference/division-index';
import type { Proposal } from './caller-cues';
import type { Evidence, TranscriptLine } from './phone-extraction';

export type { ProposedAddress } from '../../contract';

/** The parts of an address a stored case keeps, enough to tell which place it is about. */
export type AddressParts = Pick<CaseAddress, 'district' | 'street' | 'community' | 'estate' | 'detail'>;

// ---------------------------------------------------------------------------------------------
// Numbers as they are said: 十五号楼, 三单元, 三零一, 二十三号.

const digitOf: Record<string, number> = {
  '零': 0, '〇': 0, '洞': 0, '一': 1, '幺': 1, '二': 2, '两': 2, '三': 3, '四': 4,
  '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
};
const placeValueOf: Record<string, number> = { '十': 10, '百': 100, '千': 1000 };

/**
 * Arabic digits for a number said in words: 十五 → 15, 二十三 → 23, 一百零二 → 102, and digit by
 * digit as room numbers are read out, 三零一 or 三〇一 → 301. Full-width digits become ASCII.
 * Null for anything that is not a number.
 */
export function normaliseSpokenNumber(said: string): string | null {
  const text = toAsciiDigits(said);
  if (/^[0-9]+$/.test(text)) return text;
  if (text === '' || ![...text].every((character) => character in digitOf || character in placeValueOf)) return null;
  if (![...text].some((character) => character in placeValueOf)) return [...text].map((character) => digitOf[character]).join('');
  let total = 0;
  let pending = 0;
  for (const character of text) {
    const placeValue = placeValueOf[character];
    if (placeValue === undefined) {
      pending = digitOf[character] as number;
      continue;
    }
    // 十五: a place value said without a digit before it counts once.
    total += (pending === 0 ? 1 : pending) * placeValue;
    pending = 0;
  }
  return String(total + pending);
}

function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

// ---------------------------------------------------------------------------------------------
// What the words of one statement say about the address.

type PartName = 'community' | 'road' | 'houseNumber' | 'estate' | 'phase' | 'courtyard' | 'building' | 'unit' | 'room';
// Highest first: a new value for a part makes the parts below it, said before, stale (a caller who
// corrects the building has not yet said the unit of the new one).
const partOrder: readonly PartName[] = ['community', 'road', 'estate', 'houseNumber', 'phase', 'courtyard', 'building', 'unit', 'room'];
const partsBelow: Record<PartName, readonly PartName[]> = {
  community: [],
  road: ['houseNumber'],
  estate: ['houseNumber', 'phase', 'courtyard', 'building', 'unit', 'room'],
  houseNumber: [],
  phase: ['courtyard', 'building', 'unit', 'room'],
  courtyard: ['building', 'unit', 'room'],
  building: ['unit', 'room'],
  unit: ['room'],
  room: [],
};
const detailParts: ReadonlySet<PartName> = new Set(['houseNumber', 'phase', 'courtyard', 'building', 'unit', 'room']);

interface SaidPart {
  value: string;
  evidence: Evidence;
}

/** What one statement says of the address; statements are kept in the order said. */
interface Statement {
  /** The operator's words that the caller then affirmed ("…对吗？" "对"). */
  readBack: boolean;
  /**
   * Whether what it says replaces what was said before: after a correction cue (不对, 应该是,
   * 不是…是), in answer to the operator's question about the address or to a read-back the caller
   * did not affirm, or an affirmed read-back. Any other later mention of another place (a
   * neighbouring estate, the firm's office) leaves the subject as it was.
   */
  corrects: boolean;
  mentions: { mention: PlaceMention; evidence: Evidence }[];
  /** Division names the gazetteer cannot know: the anonymised A市 and A3区 of published data. */
  maskedDivisions: { level: 'city' | 'district'; part: SaidPart }[];
  parts: Partial<Record<PartName, SaidPart>>;
  /** The matter was placed beside the estate (学苑嘉园北边那个工地), not in one of its buildings. */
  besideEstate: boolean;
  /** The building, unit or room said is where the caller lives ("我住在小区3号楼"). */
  residenceDetail: boolean;
}

const hanCharacter = /\p{Script=Han}/u;
// The dot some writers put inside an estate name (伊景园·滨河苑) joins, it does not separate.
const nameJoiners = new Set(['·', '•', '・', '.']);
const chineseNumerals = '零〇一二两三四五六七八九十百';
const numeralCharacter = new RegExp(`[0-9０-９${chineseNumerals}]`, 'u');

// Words that end the run of characters before a place name: the name starts after the last of them
// (我们小区 names no estate, 住在龙锦东苑 names 龙锦东苑, 定向商品房伊景园滨河苑 names 伊景园滨河苑).
// Characters that often start real names (和 of 和平里, 向 of 向阳) are left out on purpose.
const boundaryWords = [
  '我们', '咱们', '你们', '他们', '大家', '业主', '居民', '住户', '位于', '坐落', '座落', '关于', '反映', '投诉', '举报',
  '咨询', '希望', '请问', '这个', '那个', '哪个', '一个', '整个', '每个', '各个', '所在', '目前', '现在', '已经', '导致',
  '影响', '严重', '附近', '周边', '旁边', '对面', '还有', '以及', '包括', '商品房', '楼盘', '项目', '安置', '老旧', '就是',
  '叫做', '名叫', '其中', '所有', '全部', '本人', '市民', '原来', '以前', '之前', '那边', '这边', '里面', '外面', '门口',
  '楼下', '楼上', '购买', '定向', '开发商', '物业', '隔壁', '经过', '地处', '后续', '任何', '一家', '这家', '那家', '进入',
  '非法', '违法', '违规', '所谓', '转包', '小区', '社区', '街道', '能否', '设立', '建议', '要求', '请求', '申请', '变成',
  '将', '旁', '变',
  ...'的在是于住到从与及跟对我你他她它这那个了就还也都有去来叫说要给被把该本各其为让使由',
];
const longestBoundaryWord = Math.max(...boundaryWords.map((word) => word.length));
const boundaryWordSet = new Set(boundaryWords);
const longestNameRun = 16;

function boundaryWordStartsAt(text: string, at: number): boolean {
  for (let length = 1; length <= longestBoundaryWord; length += 1) if (boundaryWordSet.has(text.slice(at, at + length))) return true;
  return false;
}

interface NameKind {
  /** Longest first. */
  suffixes: readonly string[];
  /** The same suffixes by their first character, so that each character costs one map probe. */
  suffixesByFirstCharacter: ReadonlyMap<string, readonly string[]>;
  /** Characters the name must have before its suffix. */
  minimumStemLength: number;
  maximumLength: number;
  /** Names that end so are words, not places (政府 ends in 府, 公园 in 园). */
  notNames: RegExp;
  /** Suffixes common in ordinary words: the name then needs the text around it to say it is a place. */
  weakSuffixes: ReadonlySet<string>;
  /** What, right after the name, shows it is only the start of a longer name (中关村 of 中关村大街). */
  partOfLongerName?: RegExp;
}

const estateKind: NameKind = withSuffixIndex({
  suffixes: [
    '家属院', '小区', '花园', '家园', '嘉园', '公寓', '大厦', '新村', '山庄', '公馆', '大院', '新城', '华庭', '华府', '宿舍',
    '广场', '苑', '园', '府', '城', '湾', '里', '庄', '院', '居', '郡', '邸',
  ],
  minimumStemLength: 2,
  maximumLength: 10,
  notNames: new RegExp(
    '(?:^(?:大型|小型|生活|进出|高档|新建|老|旧|住宅|居住|商品房|回迁|开放式|封闭式|整个|周边|附近|同一|别的|其他|其它)小区|' +
      '政府|官府|学府|首府|公园|幼儿园|科技园|产业园|工业园|物流园|动物园|植物园|游乐园|校园|陵园|果园|菜园|花园里|' +
      '医院|法院|学院|检察院|研究院|设计院|电影院|剧院|卫生院|养老院|敬老院|福利院|书院|寺院|' +
      '这里|那里|哪里|家里|屋里|城里|心里|夜里|村里|楼里|院里|公里|千里|万里|县城|进城|长城|全城|满城|省城|京城|' +
      '村庄|农庄|邻居|定居|同居|故居|海湾|港湾|台湾|宿舍里)$',
    'u',
  ),
  weakSuffixes: new Set(['广场', '园', '府', '城', '湾', '里', '庄', '院', '居', '郡', '邸']),
});

const roadKind: NameKind = withSuffixIndex({
  suffixes: ['大街', '大道', '胡同', '路', '街', '巷'],
  minimumStemLength: 2,
  maximumLength: 10,
  notNames: new RegExp(
    '(?:马路|道路|公路|铁路|线路|电路|出路|走路|思路|水路|网路|修路|过路|迷路|带路|半路|小路|大路|快速路|主干路|' +
      '高架路|环路|步行街|商业街|美食街|小吃街|老街|上街|逛街|满街|一条街|小巷|街巷)$',
    'u',
  ),
  weakSuffixes: new Set(),
});

const communityKind: NameKind = withSuffixIndex({
  suffixes: ['村委会', '居委会', '社区', '村'],
  minimumStemLength: 2,
  maximumLength: 10,
  notNames: /(?:农村|乡村|山村|城中村|本村|该村|全村|同村|我村|新村|邻村|外村|回村|进村|出村|小区社区)$/u,
  weakSuffixes: new Set(),
  partOfLongerName: /^(?:大街|大道|路|街|巷|胡同)/u,
});

function withSuffixIndex(kind: Omit<NameKind, 'suffixesByFirstCharacter'>): NameKind {
  const suffixesByFirstCharacter = new Map<string, string[]>();
  for (const suffix of kind.suffixes) {
    const first = suffix[0] as string;
    suffixesByFirstCharacter.set(first, [...(suffixesByFirstCharacter.get(first) ?? []), suffix]);
  }
  return { ...kind, suffixesByFirstCharacter };
}

const suffixAt = (kind: NameKind, text: string, at: number) =>
  kind.suffixesByFirstCharacter.get(text[at] as string)?.find((candidate) => text.startsWith(candidate, at));

// What follows a name with a weak suffix and shows it is a place (魅力之城小区, 魅力之城的业主).
const placeAfterWeakName = new RegExp(
  `^(?:小区|社区|的?业主|的?居民|物业|楼盘|项目|开发商|售楼|[0-9${chineseNumerals}.]+期|[A-Za-z]?[0-9${chineseNumerals}]+(?:号楼|栋|幢|座|号院|单元)|` +
    '[东南西北]?(?:大门|门口)|[东南西北]门|[东南西北]侧|旁边|附近|对面|周边)',
  'u',
);
// ...and what before it does (住在芳城园, 位于魅力之城).
const placeBeforeWeakName = /(?:住在|家住|住|位于|坐落于?|座落于?|家在|小区叫|小区是)$/u;
// Words that begin with a suffix character and are not the end of a name.
const suffixStartsWord = /^(?:城市|城管|城区|城乡|城建|城中村|园区|园林|园艺|里面|里边|院长|院子|院校|居民|居住|居委|居然|府办|湾区|街道|路口|路段|路边|路灯|路面|路况|巷子)/u;
// Where the matter lies beside an estate rather than inside it.
const besideWords = /^(?:小区)?(?:[东南西北](?:边|侧|面|门外)|旁边|对面|附近|外面|门口|周边)/u;
// "我住在小区3号楼": the caller's home, which may not be where the matter is.
const residenceWords = /我(?:家)?住|我家在/u;

const buildingPattern = new RegExp(
  `([A-Za-z]?[0-9０-９]+[A-Za-z]?|[A-Za-z]|[${chineseNumerals}]+)(号楼|号院|栋|幢|座)`,
  'gu',
);
const unitPattern = new RegExp(`([0-9０-９]+|[${chineseNumerals}]+)单元`, 'gu');
const spokenDigits = '[0-9０-９零〇一二三四五六七八九幺洞两]';
// A room number right after the building or unit (1单元102, G2栋320, 65栋1003房).
const roomAfterDetail = new RegExp(`^[，, ]?(${spokenDigits}{3,4}|[${chineseNumerals}]{3,5})(?:室|号房|房间|房|户|号)?`, 'u');
// ...or on its own with a word that says it is a home (301室, 301那家).
const roomOnItsOwn = new RegExp(`(${spokenDigits}{3,4})(?:室|号房|房间|那家|那户|这家|这户)`, 'gu');
const houseNumberAfterName = new RegExp(`^([0-9０-９]+|[${chineseNumerals}]+)号(?![楼院])`, 'u');
const phaseAfterEstate = new RegExp(`^([0-9.]+|[${chineseNumerals}]+)期`, 'u');
// 芳城园一区, 和平里七区: a numbered part of an estate.
const numberedAreaSuffix = /^(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})区/u;
// The anonymised cities and districts of published data (A市, A3区, A7县).
const maskedDivisionPattern = /(?<![A-Za-z0-9])([A-Z][0-9]{0,2})(市|区|县)/gu;

// A caller correcting themself: what follows the cue replaces what came before it.
const correctionCue = /不对|说错了|搞错了|哦不是|应该是/gu;
// "不是朝阳区，是海淀区": the words between 不是 and 是 are what the caller denies.
const denialPattern = /不是([^，。,；;！？?]{1,20}?)[，,]?(?:而)?是/gu;
const deniesSomething = new RegExp(denialPattern.source, 'u');
// The operator asks for confirmation, and the caller's next words give it.
const confirmationQuestion = /对吗|是吗|对不对|是不是|是这个吗|没错吧|是吧|对吧/u;
const affirmation = /^(?:对|是的|是啊|是这样|没错|嗯|正确|就是)/u;
// The operator asks where: the caller's answer states the address afresh.
const addressQuestion = /地址|哪个区|哪个小区|哪个街道|哪里|哪儿|什么位置|具体位置|在哪|什么地方/u;

class TakenCharacters {
  private readonly taken: (string | null)[];
  constructor(length: number) {
    this.taken = new Array<string | null>(length).fill(null);
  }
  isFree(start: number, end: number): boolean {
    for (let at = start; at < end; at += 1) if (this.taken[at] !== null) return false;
    return true;
  }
  take(start: number, end: number, kind: string): void {
    for (let at = start; at < end; at += 1) this.taken[at] = kind;
  }
  kindAt(at: number): string | null {
    return this.taken[at] ?? null;
  }
}

interface FoundName {
  value: string;
  start: number;
  end: number;
}

/**
 * Where a name ending at `runEnd` begins: `runStart` where the run of free Chinese characters
 * before it begins, `start` after the last boundary word in that run (start === runEnd: no name).
 */
function nameStart(text: string, runEnd: number, taken: TakenCharacters): { start: number; runStart: number } {
  let runStart = runEnd;
  while (runStart > 0 && runEnd - runStart < longestNameRun && taken.isFree(runStart - 1, runStart)) {
    const previous = text[runStart - 1] as string;
    if (!hanCharacter.test(previous) && !nameJoiners.has(previous)) break;
    runStart -= 1;
  }
  let start = runStart;
  for (let at = runStart; at < runEnd; at += 1) {
    for (let length = 1; length <= longestBoundaryWord && at + length <= runEnd; length += 1) {
      if (boundaryWordSet.has(text.slice(at, at + length))) start = Math.max(start, at + length);
    }
  }
  return { start, runStart };
}

/**
 * Where an estate name that could end at `end` really ends. Any name goes on over 小区 or a
 * numbered area (望湖新苑小区, 龙锦东苑二区). A name ending in a weak suffix goes on to the furthest
 * further suffix reached over free Chinese characters with no boundary word on the way (伊景园滨河苑,
 * 伊景园·滨河苑); one ending in a strong suffix does not: 武广新城伊景园滨河苑 is an area, then an
 * estate. A single character (里 of 小区里) never extends a name.
 */
function longerEstateEnd(text: string, end: number, taken: TakenCharacters, endsWeak: boolean): number {
  const area = numberedAreaSuffix.exec(text.slice(end, end + 4))?.[0] ?? (text.startsWith('小区', end) ? '小区' : undefined);
  if (area !== undefined && taken.isFree(end, end + area.length)) return end + area.length;
  if (!endsWeak) return end;
  let furthest = end;
  for (let at = end; at < Math.min(text.length, end + 8); at += 1) {
    const character = text[at] as string;
    if (!taken.isFree(at, at + 1) || !(hanCharacter.test(character) || nameJoiners.has(character))) break;
    const suffix = numberedAreaSuffix.exec(text.slice(at, at + 4))?.[0] ?? suffixAt(estateKind, text, at);
    if (suffix !== undefined && !suffixStartsWord.test(text.slice(at, at + 4))) {
      const candidateEnd = at + suffix.length;
      const extension = text.slice(end, candidateEnd).replace(/[·•・.]/gu, '');
      if (extension.length >= 2 && taken.isFree(at, candidateEnd)) furthest = candidateEnd;
    }
    if (boundaryWordStartsAt(text, at)) break;
  }
  return furthest;
}

const placeKinds = new Set(['division', 'masked', 'road', 'community', 'estate']);

/** Names of one kind (estates, roads, communities) among the characters not yet taken. */
function findNames(text: string, taken: TakenCharacters, kind: NameKind, kindName: string): FoundName[] {
  const found: FoundName[] = [];
  for (let at = 0; at < text.length; at += 1) {
    let suffix = suffixAt(kind, text, at);
    let suffixLength = suffix?.length ?? 0;
    if (kind === estateKind && suffix === undefined) {
      const area = numberedAreaSuffix.exec(text.slice(at, at + 4));
      if (area) {
        suffix = area[0];
        suffixLength = area[0].length;
      }
    }
    if (suffix === undefined || !taken.isFree(at, at + suffixLength)) continue;
    // 城市, 居民, 园区: the suffix character here starts another word.
    if (suffixStartsWord.test(text.slice(at, at + 4))) continue;
    let end = at + suffixLength;
    const { start, runStart } = nameStart(text, at, taken);
    const stem = text.slice(start, at).replace(/[·•・.]/gu, '');
    const value = stem + suffix;
    if (stem.length < kind.minimumStemLength || value.length > kind.maximumLength || kind.notNames.test(value)) continue;
    if (kind.partOfLongerName?.test(text.slice(end, end + 2))) continue;
    // A name ending 园 or 城 may be a word (公园, 城市); keep it only where the text calls it a place.
    if (kind.weakSuffixes.has(suffix)) {
      const afterPlace = start === runStart && start > 0 && placeKinds.has(taken.kindAt(start - 1) ?? '');
      const placeAfter = placeAfterWeakName.test(text.slice(end, end + 12));
      const placeBefore = placeBeforeWeakName.test(text.slice(Math.max(0, start - 4), start));
      if (!(afterPlace || placeAfter || placeBefore)) continue;
    }
    const longer = kind === estateKind ? longerEstateEnd(text, end, taken, kind.weakSuffixes.has(suffix)) : end;
    const name = longer === end ? value : value + text.slice(end, longer).replace(/[·•・.]/gu, '');
    if (longer !== end && (name.length > kind.maximumLength || kind.notNames.test(name))) continue;
    end = longer;
    found.push({ value: name, start, end });
    taken.take(start, end, kindName);
    at = end - 1;
  }
  return found;
}

interface StatementPiece {
  text: string;
  offset: number;
  corrects: boolean;
}

/** A line, cut where the caller corrects themself: each piece after a cue is a correction. */
function splitStatements(line: TranscriptLine, answersAddressQuestion: boolean): StatementPiece[] {
  const pieces: StatementPiece[] = [];
  let from = 0;
  let corrects = answersAddressQuestion;
  for (const cue of line.text.matchAll(correctionCue)) {
    pieces.push({ text: line.text.slice(from, cue.index), offset: from, corrects });
    from = cue.index + cue[0].length;
    corrects = true;
  }
  pieces.push({ text: line.text.slice(from), offset: from, corrects });
  return pieces
    .filter((piece) => piece.text.trim() !== '')
    .map((piece) => ({ ...piece, corrects: piece.corrects || deniesSomething.test(piece.text) }));
}

type SetPart = (name: PartName, value: string, start: number, end: number) => void;

const strongEstateSuffixes = estateKind.suffixes.filter((suffix) => !estateKind.weakSuffixes.has(suffix));

/**
 * A division stem said right before an estate's own name (回龙观龙锦东苑), which the gazetteer leaves
 * alone in running text: it says where the estate lies, and the estate is the rest. Only where the
 * rest is an estate name in itself, with a strong suffix: 向阳小区 and 和平里七区 are single names,
 * however their first characters read.
 */
function streetBeginningEstate(estate: FoundName, places: PlaceGazetteer): { mention: PlaceMention; estate: string } | null {
  for (let length = Math.min(6, estate.value.length - 3); length >= 2; length -= 1) {
    const rest = estate.value.slice(length);
    if (!strongEstateSuffixes.some((suffix) => rest.endsWith(suffix) && rest.length - suffix.length >= 2)) continue;
    const mention = places.lookUp(estate.value.slice(0, length));
    if (mention === undefined || mention.withSuffix) continue;
    const inRegion = places.preferredRegionCode === null || mention.codes.some((code) => places.place(code)?.inPreferredRegion);
    if (!inRegion) continue;
    return { mention: { ...mention, start: estate.start, end: estate.start + length }, estate: rest };
  }
  return null;
}

/** Building (or courtyard), unit and room, numbers said in words written as digits. */
function readDetails(text: string, taken: TakenCharacters, setPart: SetPart): void {
  const buildingEnds: number[] = [];
  for (const match of text.matchAll(buildingPattern)) {
    const [whole, number = '', marker = ''] = match;
    const start = match.index;
    const end = start + whole.length;
    if (start > 0 && /[0-9A-Za-z０-９]/u.test(text[start - 1] as string)) continue;
    if (!taken.isFree(start, end)) continue;
    const spoken = !/[0-9A-Za-z０-９]/u.test(number);
    // 一栋楼, 两座桥: "a building", not building number one.
    if (spoken && marker !== '号楼' && marker !== '号院' && (/^[一两几]$/u.test(number) || text[end] === '楼')) continue;
    if (spoken && numeralCharacter.test(text[start - 1] ?? '')) continue;
    const value = spoken ? normaliseSpokenNumber(number) : toAsciiDigits(number).toUpperCase();
    if (value === null) continue;
    setPart(marker === '号院' ? 'courtyard' : 'building', `${value}${marker}`, start, end);
    taken.take(start, end, 'detail');
    buildingEnds.push(end);
  }
  const unitEnds: number[] = [];
  for (const match of text.matchAll(unitPattern)) {
    const end = match.index + match[0].length;
    const value = normaliseSpokenNumber(match[1] ?? '');
    if (value === null || !taken.isFree(match.index, end)) continue;
    setPart('unit', `${value}单元`, match.index, end);
    taken.take(match.index, end, 'detail');
    unitEnds.push(end);
  }
  for (const end of [...unitEnds, ...buildingEnds]) {
    const room = roomAfterDetail.exec(text.slice(end, end + 8));
    const value = room?.[1] ? normaliseSpokenNumber(room[1]) : null;
    if (!room || value === null || value.length < 3 || value.length > 4) continue;
    const start = end + room[0].indexOf(room[1] as string);
    if (!taken.isFree(start, end + room[0].length)) continue;
    setPart('room', value, start, start + (room[1] as string).length);
    taken.take(start, end + room[0].length, 'detail');
  }
  for (const match of text.matchAll(roomOnItsOwn)) {
    const number = match[1] as string;
    const value = normaliseSpokenNumber(number);
    if (value === null || numeralCharacter.test(text[match.index - 1] ?? '') || !taken.isFree(match.index, match.index + number.length)) continue;
    setPart('room', value, match.index, match.index + number.length);
    taken.take(match.index, match.index + number.length, 'detail');
  }
}

/** A house number right after a road or an estate (清华东路100号, 和平里七区二十三号). */
function readHouseNumber(text: string, nameEnd: number, taken: TakenCharacters, setPart: SetPart): void {
  const door = houseNumberAfterName.exec(text.slice(nameEnd, nameEnd + 8));
  const value = door?.[1] ? normaliseSpokenNumber(door[1]) : null;
  if (!door || value === null || !taken.isFree(nameEnd, nameEnd + door[0].length)) return;
  setPart('houseNumber', `${value}号`, nameEnd, nameEnd + door[0].length);
  taken.take(nameEnd, nameEnd + door[0].length, 'detail');
}

/** What one statement (a line, or the part of it after a correction) says of the address. */
function readStatement(line: TranscriptLine, piece: StatementPiece, readBack: boolean, places: PlaceGazetteer): Statement {
  const { text, offset } = piece;
  const evidenceOf = (start: number, end: number): Evidence => ({ segmentId: line.id, start: offset + start, end: offset + end });
  const taken = new TakenCharacters(text.length);
  for (const denial of text.matchAll(denialPattern)) {
    const start = denial.index + 2;
    taken.take(start, start + (denial[1]?.length ?? 0), 'denied');
  }
  const statement: Statement = {
    readBack,
    corrects: piece.corrects || readBack,
    mentions: [],
    maskedDivisions: [],
    parts: {},
    besideEstate: false,
    residenceDetail: false,
  };
  const setPart: SetPart = (name, value, start, end) => {
    // Within one statement the first is the subject; a later statement, not a later word, corrects.
    statement.parts[name] ??= { value, evidence: evidenceOf(start, end) };
  };

  for (const mention of places.findPlaces(text)) {
    if (!taken.isFree(mention.start, mention.end)) continue;
    statement.mentions.push({ mention, evidence: evidenceOf(mention.start, mention.end) });
    taken.take(mention.start, mention.end, 'division');
  }
  for (const masked of text.matchAll(maskedDivisionPattern)) {
    if (!taken.isFree(masked.index, masked.index + masked[0].length)) continue;
    const level = masked[2] === '市' ? 'city' : 'district';
    statement.maskedDivisions.push({ level, part: { value: masked[0], evidence: evidenceOf(masked.index, masked.index + masked[0].length) } });
    taken.take(masked.index, masked.index + masked[0].length, 'masked');
  }

  readDetails(text, taken, setPart);
  const firstDetail = statement.parts.building ?? statement.parts.courtyard ?? statement.parts.unit ?? statement.parts.room;
  if (firstDetail) {
    const detailStart = firstDetail.evidence.start - offset;
    const clauseStart = Math.max(...[...text.slice(0, detailStart).matchAll(/[，。,；;！？?]/gu)].map((mark) => mark.index + 1), 0);
    statement.residenceDetail = residenceWords.test(text.slice(clauseStart, detailStart));
  }

  const [community] = findNames(text, taken, communityKind, 'community');
  if (community) setPart('community', community.value, community.start, community.end);
  const [road] = findNames(text, taken, roadKind, 'road');
  if (road) {
    setPart('road', road.value, road.start, road.end);
    readHouseNumber(text, road.end, taken, setPart);
  }
  const estates = findNames(text, taken, estateKind, 'estate');
  // 米兰春天G2栋320: a name said right before a building number is the estate, whatever it ends in.
  const building = statement.parts.building ?? statement.parts.courtyard;
  if (estates.length === 0 && building) {
    const buildingStart = building.evidence.start - offset;
    const { start } = nameStart(text, buildingStart, taken);
    const value = text.slice(start, buildingStart).replace(/[·•・.]/gu, '');
    if (value.length >= 2 && value.length <= estateKind.maximumLength && !/^(?:本?小区|楼|单元)$/u.test(value) && !estateKind.notNames.test(value)) {
      estates.push({ value, start, end: buildingStart });
      taken.take(start, buildingStart, 'estate');
    }
  }
  // 武广新城伊景园滨河苑: of two names said one after the other, the first is the area, the second the estate.
  const [first, second] = estates;
  const estate = first && second && second.start === first.end ? second : first;
  if (estate) {
    const street = streetBeginningEstate(estate, places);
    if (street) statement.mentions.push({ mention: street.mention, evidence: evidenceOf(estate.start, estate.start + street.mention.text.length) });
    const estateStart = street ? estate.start + street.mention.text.length : estate.start;
    setPart('estate', standardEstateName(street?.estate ?? estate.value), estateStart, estate.end);
    readHouseNumber(text, estate.end, taken, setPart);
    statement.besideEstate = besideWords.test(text.slice(estate.end, estate.end + 6));
    const phase = phaseAfterEstate.exec(text.slice(estate.end, estate.end + 6));
    const value = phase?.[1] ? (phase[1].includes('.') ? phase[1] : normaliseSpokenNumber(phase[1])) : null;
    if (phase && value !== null) setPart('phase', `${value}期`, estate.end, estate.end + phase[0].length);
  }
  return statement;
}

// 望湖新苑小区 is 望湖新苑; 杨庄小区 stays whole (杨庄 alone is a village, not the estate).
const estateEndings = estateKind.suffixes.filter((suffix) => suffix !== '小区');
function standardEstateName(name: string): string {
  const withoutXiaoqu = name.endsWith('小区') ? name.slice(0, -2) : name;
  if (withoutXiaoqu !== name && withoutXiaoqu.length >= 3 && estateEndings.some((suffix) => withoutXiaoqu.endsWith(suffix))) return withoutXiaoqu;
  return name;
}

/** The caller's lines, and the operator's read-backs that the caller affirmed, in order. */
function statementsOf(lines: readonly TranscriptLine[], places: PlaceGazetteer): Statement[] {
  const statements: Statement[] = [];
  lines.forEach((line, index) => {
    const previous = lines[index - 1];
    let readBack = false;
    let answersAddressQuestion = false;
    if (line.speaker === 'operator') {
      const answer = lines[index + 1];
      readBack = confirmationQuestion.test(line.text) && answer?.speaker === 'caller' && affirmation.test(answer.text.trim());
      if (!readBack) return;
    } else if (previous?.speaker === 'operator') {
      const confirmationRefused = confirmationQuestion.test(previous.text) && !affirmation.test(line.text.trim());
      answersAddressQuestion = addressQuestion.test(previous.text) || confirmationRefused;
    }
    for (const piece of splitStatements(line, answersAddressQuestion)) {
      statements.push(readStatement(line, piece, readBack, places));
    }
  });
  return statements;
}

// ---------------------------------------------------------------------------------------------
// Putting the statements together.

interface HeldPart {
  value: string;
  evidence: Evidence[];
  readBack: boolean;
}

interface DivisionChoice {
  resolution: NonNullable<ReturnType<PlaceGazetteer['resolve']>>;
  evidence: Evidence[];
  readBack: boolean;
}

/**
 * The division the statements name, in order: a later statement's mentions refine the choice where
 * they agree with it (朝阳区, then 望京), replace it where the statement is a correction, and are
 * left out otherwise.
 */
function chooseDivision(statements: readonly Statement[], places: PlaceGazetteer): DivisionChoice | null {
  type Entry = Statement['mentions'][number];
  let accepted: Entry[] = [];
  let resolution: DivisionChoice['resolution'] | null = null;
  const resolveEntries = (entries: readonly Entry[]) => {
    const result = places.resolve(entries.map((entry) => entry.mention));
    return result?.place ? { result, kept: entries.filter((entry) => result.supporting.includes(entry.mention)) } : null;
  };
  for (const statement of statements) {
    if (statement.mentions.length === 0) continue;
    // Agreement needs one reading: 朝阳区望京街道 and 海淀区学院路街道 together are two, equally good.
    const agrees = (joined: ReturnType<typeof resolveEntries>, earlier: readonly Entry[]): joined is NonNullable<typeof joined> =>
      joined !== null &&
      (!joined.result.ambiguous || accepted.length === 0 || resolution?.ambiguous === true) &&
      earlier.every((entry) => joined.kept.includes(entry));
    const together = resolveEntries([...accepted, ...statement.mentions]);
    if (agrees(together, accepted)) {
      ({ result: resolution, kept: accepted } = together);
      continue;
    }
    if (!statement.corrects) continue;
    // The correction's own reading, keeping what was said before only where it still fits.
    const corrected = resolveEntries(statement.mentions);
    if (corrected === null) continue;
    const stillFitting = resolveEntries([...statement.mentions, ...accepted]);
    ({ result: resolution, kept: accepted } = agrees(stillFitting, corrected.kept) ? stillFitting : corrected);
  }
  if (resolution === null) return null;
  const readBackMentions = new Set(statements.filter((statement) => statement.readBack).flatMap((statement) => statement.mentions.map((entry) => entry.mention)));
  return {
    resolution,
    evidence: accepted.map((entry) => entry.evidence),
    readBack: accepted.some((entry) => readBackMentions.has(entry.mention)),
  };
}

/**
 * The parts of the address, in the order said. A part said again with the same value adds its
 * words as evidence. A different value replaces the part (and the stale parts below it) when the
 * statement is a correction; otherwise the statement is about another place, and neither that part
 * nor the ones below it from the same statement are taken.
 */
function holdParts(statements: readonly Statement[]): Partial<Record<PartName, HeldPart>> {
  const held: Partial<Record<PartName, HeldPart>> = {};
  // The caller's own home, said after the matter was placed beside the estate, is not the matter's.
  const matterBesideEstate = statements.some((statement) => statement.besideEstate);
  for (const statement of statements) {
    const aboutAnotherPlace = new Set<PartName>();
    for (const name of partOrder) {
      const part = statement.parts[name];
      if (part === undefined || aboutAnotherPlace.has(name)) continue;
      if (matterBesideEstate && statement.residenceDetail && detailParts.has(name)) continue;
      const current = held[name];
      if (current === undefined) {
        held[name] = { value: part.value, evidence: [part.evidence], readBack: statement.readBack };
      } else if (current.value === part.value) {
        current.evidence.push(part.evidence);
        current.readBack ||= statement.readBack;
      } else if (statement.corrects) {
        for (const below of partsBelow[name]) delete held[below];
        held[name] = { value: part.value, evidence: [part.evidence], readBack: statement.readBack };
      } else {
        for (const below of partsBelow[name]) aboutAnotherPlace.add(below);
      }
    }
  }
  return held;
}

/** The anonymised city and district as first written, unless a correction gives others. */
function chooseMaskedDivisions(statements: readonly Statement[]): Statement['maskedDivisions'] {
  const chosen = new Map<'city' | 'district', Statement['maskedDivisions'][number]>();
  for (const statement of statements) {
    for (const entry of statement.maskedDivisions) {
      const current = chosen.get(entry.level);
      if (current === undefined || (statement.corrects && current.part.value !== entry.part.value)) chosen.set(entry.level, entry);
    }
  }
  return [...chosen.values()];
}

function detailOf(held: Partial<Record<PartName, HeldPart>>): string {
  // Without an estate the road is what locates the matter, so it leads the detail.
  const road = held.estate ? [] : [held.road?.value];
  return [...road, held.houseNumber?.value, held.phase?.value, held.courtyard?.value, held.building?.value, held.unit?.value, held.room?.value]
    .filter((value): value is string => Boolean(value))
    .join('');
}

const evidenceOrder = (lines: readonly TranscriptLine[]) => {
  const lineOrder = new Map(lines.map((line, index) => [line.id, index]));
  return (a: Evidence, b: Evidence) => (lineOrder.get(a.segmentId) ?? 0) - (lineOrder.get(b.segmentId) ?? 0) || a.start - b.start;
};

// What each finding adds to the confidence of a proposal. A street and district that resolve to
// one chain, with the estate and the building, and the caller affirming the operator's read-back,
// reach the cap; a district alone, or an estate with no division, stays below the middle.
const confidenceWeights = {
  anyPlace: 0.15,
  street: 0.3,
  districtSaidWithStreet: 0.1,
  districtOnly: 0.2,
  cityOrProvinceOnly: 0.05,
  onlyStems: -0.1,
  ambiguous: -0.1,
  estate: 0.15,
  roadWithoutEstate: 0.05,
  community: 0.05,
  detail: 0.1,
  affirmedReadBack: 0.15,
} as const;
const confidenceCaps = { noDivision: 0.45, anonymised: 0.35, outsideRegion: 0.4, any: 0.95 } as const;

/**
 * The address of the matter, standardised against the administrative divisions: district and
 * street resolved by the gazetteer (a street name alone resolves its district and city where it is
 * unique in the region), then community, estate, and building, unit and room with the numbers said
 * in words written as digits (十五号楼 → 15号楼, 三零一 → 301). A later statement replaces an earlier
 * one where it corrects it (a correction cue, an answer to the operator's question, an affirmed
 * read-back); the operator's read-back counts once the caller affirms it, and raises the confidence.
 *
 * Confidence stays low where the words do not pin a real place down: outside the region the
 * console serves (`outsideRegion`, at most 0.4), anonymised or unknown division names (no
 * `divisionCode`, at most 0.35), an estate without any division. Null when no place is named.
 */
export function extractAddress(lines: readonly TranscriptLine[], places: PlaceGazetteer): Proposal<ProposedAddress> | null {
  const statements = statementsOf(lines, places);
  const held = holdParts(statements);
  const division = chooseDivision(statements, places);
  const masked = chooseMaskedDivisions(statements);
  const placeNamed = division !== null || masked.length > 0 || Boolean(held.estate || held.road || held.community);
  if (!placeNamed) return null;

  const address: ProposedAddress = {
    district: '',
    street: '',
    community: held.community?.value ?? '',
    estate: held.estate?.value ?? '',
    detail: detailOf(held),
    divisionCode: null,
    city: '',
    province: '',
    outsideRegion: false,
  };
  const evidence: Evidence[] = [];
  const weights = confidenceWeights;
  let confidence: number = weights.anyPlace;

  if (masked.length > 0) {
    // Anonymised text (A市A3区…) hides the real city: a street name in it may match a real place
    // anywhere in the country, so nothing is resolved, and the names are kept as written.
    address.district = masked.find((entry) => entry.level === 'district')?.part.value ?? '';
    const streetMention = division?.resolution.supporting.find((mention) => mention.withSuffix && mention.codes.some((code) => places.place(code)?.level === 'street'));
    address.street = streetMention?.text ?? '';
    evidence.push(...masked.map((entry) => entry.part.evidence));
    if (streetMention) evidence.push(...(division?.evidence ?? []));
  } else if (division !== null) {
    const { place, supporting, ambiguous } = division.resolution;
    evidence.push(...division.evidence);
    if (place !== null) {
      address.province = place.province;
      address.city = place.city;
      address.district = place.district;
      address.street = place.street;
      // Two 八里庄街道 in Beijing: the street's name is still what the caller said, unplaced.
      if (ambiguous && address.street === '') {
        address.street = supporting.find((mention) => mention.withSuffix && mention.codes.every((code) => places.place(code)?.level === 'street'))?.text ?? '';
      }
      if (place.level === 'street' || place.level === 'district') address.divisionCode = place.code;
      address.outsideRegion = places.preferredRegionCode !== null && !place.inPreferredRegion;
      const saidDistrict = supporting.some((mention) => mention.codes.some((code) => places.place(code)?.level === 'district'));
      if (place.level === 'street') confidence += weights.street + (saidDistrict ? weights.districtSaidWithStreet : 0);
      else if (place.level === 'district') confidence += weights.districtOnly;
      else confidence += weights.cityOrProvinceOnly;
      // A stem alone (望京, 方庄) is likelier than a full name to be part of something else.
      if (supporting.every((mention) => !mention.withSuffix)) confidence += weights.onlyStems;
      if (ambiguous) confidence += weights.ambiguous;
    }
  }

  for (const name of partOrder) {
    const part = held[name];
    if (part === undefined) continue;
    if (name === 'road' && held.estate) continue;
    evidence.push(...part.evidence);
  }
  if (held.estate) confidence += weights.estate;
  else if (held.road) confidence += weights.roadWithoutEstate;
  if (held.community) confidence += weights.community;
  if (held.building || held.unit || held.room || held.courtyard || held.houseNumber) confidence += weights.detail;
  const confirmedByReadBack = Boolean(held.estate?.readBack) || (!held.estate && Boolean(division?.readBack));
  if (confirmedByReadBack) confidence += weights.affirmedReadBack;

  if (division === null && masked.length === 0) confidence = Math.min(confidence, confidenceCaps.noDivision);
  if (masked.length > 0) confidence = Math.min(confidence, confidenceCaps.anonymised);
  if (address.outsideRegion) confidence = Math.min(confidence, confidenceCaps.outsideRegion);
  confidence = Math.round(Math.min(confidenceCaps.any, Math.max(0.05, confidence)) * 100) / 100;

  const unique = new Map(evidence.map((span) => [`${span.segmentId}\u0000${span.start}\u0000${span.end}`, span]));
  return { value: address, confidence, evidence: [...unique.values()].sort(evidenceOrder(lines)) };
}

// ---------------------------------------------------------------------------------------------
// One key per place, to count cases about the same place.

// Developers' brand names in front of an estate (万科魅力之城 and 魅力之城 are one estate).
const developerBrands = ['万科', '恒大', '碧桂园', '保利', '绿地', '中海', '龙湖', '融创', '万达', '华润', '招商', '金地', '富力', '世茂', '旭辉', '绿城', '鑫远', '中建', '首开', '金隅'];
const roadAtStart = /^(\p{Script=Han}{2,8}?(?:大街|大道|胡同|路|街|巷))/u;

/**
 * A key naming the place an address is about, so that cases about one place can be counted:
 * the estate when there is one (without 小区, a developer's brand, or a dot inside the name), else
 * the community (a 社区 mostly bears its estate's name: 丽发新城社区 is 丽发新城), else the road that
 * leads the detail, else the district and street. Null when none is known. Within the one city a
 * console serves, an estate's name is taken as the place: callers often leave out the district, and
 * a key that depended on it would split one estate in two.
 */
export function estateKey(address: AddressParts): string | null {
  const community = address.community.trim().replace(/(?:社区|居委会|村委会)$/u, '');
  const estate = (address.estate.trim() || community).replace(/[·•・.\s]/gu, '');
  if (estate !== '') {
    let name = estate.endsWith('小区') && estate.length > 3 ? estate.slice(0, -2) : estate;
    const brand = developerBrands.find((candidate) => name.startsWith(candidate) && name.length - candidate.length >= 3);
    if (brand) name = name.slice(brand.length);
    return `estate:${name}`;
  }
  const road = roadAtStart.exec(address.detail.trim())?.[1];
  if (road) return `road:${road}`;
  if (address.street.trim() !== '') return `street:${address.district.trim()}${address.street.trim()}`;
  return null;
}

/** How a place is shown: district, street, community and estate as one line (东城区和平里街道和平里七区). */
export function addressLabel(address: AddressParts): string {
  return [address.district, address.street, address.community, address.estate || roadAtStart.exec(address.detail)?.[1] || ''].join('');
}
