import { extractCallerName, type Proposal } from './caller-cues';
import { extractFollowUp } from './follow-up';
import { extractPhoneNumbers, type Evidence, type TranscriptLine } from './phone-extraction';

/**
 * The summary (诉求内容) of a call in the caller's own words: the clauses that state the matter (what,
 * where, since when, what they want), picked from the caller's utterances and joined in the order
 * said. Extractive on purpose: the operator can see where every word came from, and nothing is
 * claimed that the caller did not say. Written messages (a title line and a body line) go the same
 * way; the title and the body's first sentences come first.
 */

export interface SummaryOptions {
  /** Longest summary, in characters. */
  maxLength?: number;
}

interface Clause {
  line: TranscriptLine;
  start: number;
  end: number;
  text: string;
  /** Counts sentences over the whole transcript, so clauses of one sentence share it. */
  sentence: number;
  /** What followed the clause in the text: ，, a sentence end such as 。 or ？, or '' at the end of a line. */
  delimiter: string;
  isLastOfSentence: boolean;
}

const defaultMaxLength = 150;
// A summary shorter than this many letters is a word, not a matter: "电梯", "喂喂".
const shortestMatter = 4;

const sentenceEnds = new Set(['。', '！', '？', '!', '?', '；', ';', '…', '\n']);
const clauseEnds = new Set([...sentenceEnds, '，', ',', '：', ':', ' ', '\u3000', '\t', '\r']);
// Half-width ends are written full-width in a Chinese summary.
const fullWidth: Record<string, string> = { '!': '！', '?': '？', ';': '；' };

// Whole clauses that carry nothing of the matter: greetings, yes and no, thanks, goodbyes, "that's it".
const fillerClause =
  /^(?:(?:喂|哎|诶|嗯|啊|哦|噢|你好|您好|你们好|对|是的?|好的?|行|可以|能|没错|没问题|谢谢(?:你们?|您)?|再见|拜拜|明白了?|知道了|清楚了|好吧|那好|没有了|就是(?:这样|这个(?:意思)?)|是这个)[啊呀吧呢嘛哈啦哦噢]*)+$/u;
// "我想反映个事儿", "我想问一下", a letter's "尊敬的领导": an opening that announces a matter without saying it.
const openerClause = /^(?:我)?(?:想|要)?(?:问|咨询|反映|投诉|举报|说)(?:一下|个事儿?|个问题|点事儿?)?[啊哈]?$|^请问$|^尊敬的.{1,30}$/u;
// Talk about the caller's number or name for the record, not the matter (the numbers themselves and
// the names are found by their extractors).
const contactClause = [
  /^(?:就|还)?(?:是|打|用)?(?:这个|现在这个)(?:号码?|电话|手机号?)?[吧啊]?$/u,
  /^(?:号码|电话|手机号?|联系电话)(?:就|还)?是(?:这个|现在这个)(?:号码?)?$/u,
  /这个(?:手机|电话|号码?)是我.{0,4}的$/u,
  /记我(?:自己)?的号/u,
  /电话就?不留|不留电话/u,
  /保密|匿名|留名|(?:别|不要)说是我/u,
];

// The caller answering the operator's instructions or answer ("我这就下楼", "那太好了"): said during
// the call, not part of the matter.
const reactionClause = /太好了|方便多了|那就好|^(?:我)?(?:这就|马上就?)(?:去|下楼|走|出来)|^我到楼下了$/u;
const reactionPenalty = 2;

// What makes a clause part of the matter. Each kind counts once per clause.
const matterFeatures = {
  what: /停了|停水|停电|没人|没有|没发|不给|不修|不管|不处理|不亮|坏|漏|吵|噪音|拖欠|欠|故障|隐患|危险|味|堵|脏|乱|扰|受不了|摔|断|破|施工|租|私拉|充电|泄漏|投诉|举报|反映/u,
  where: /区|街道|乡|镇|社区|村|小区|号楼|单元|路|街|大厦|园|苑|楼道|楼下|门口|旁边|附近|公司|工地|医院|学校/u,
  when: /天了|月了|年了|个月|一周|礼拜|星期|早上|晚上|半夜|夜里|点多|从.{0,6}(?:到|起|开始)|以来|一直|已经|多久|小时|好几次|第二次/u,
  want: /希望|要求|想|请|麻烦|能不能|可不可以|能否|尽快|赶紧|催|怎么办|找谁|怎么|哪儿|哪里|多少|吗$|别再?|至少|最起码/u,
} as const;
type MatterFeature = keyof typeof matterFeatures;

// The first sentences of the matter usually state it (the first one is always kept); later ones
// add detail. Bonus 3, 2.4, 1.92, ...
const firstSentenceBonus = 3;
const positionDecay = 0.8;
const selectionThreshold = 1;
// The fewest characters worth keeping of a sentence cut short for lack of room.
const shortestPart = 20;

function splitClauses(lines: readonly TranscriptLine[]): Clause[] {
  const clauses: Clause[] = [];
  let sentence = 0;
  for (const line of lines) {
    let start = 0;
    const close = (end: number, delimiter: string) => {
      const raw = line.text.slice(start, end);
      const text = raw.trim();
      if (text !== '') {
        const offset = start + raw.indexOf(text);
        clauses.push({ line, start: offset, end: offset + text.length, text, sentence, delimiter, isLastOfSentence: false });
      }
      if (sentenceEnds.has(delimiter) || delimiter === '') sentence += 1;
    };
    for (let index = 0; index < line.text.length; index += 1) {
      const character = line.text[index] ?? '';
      if (clauseEnds.has(character) && !joinsLatinWords(line.text, index)) {
        close(index, character);
        start = index + 1;
      }
    }
    close(line.text.length, '');
  }
  clauses.forEach((clause, index) => {
    clause.isLastOfSentence = clauses[index + 1]?.sentence !== clause.sentence;
  });
  return clauses;
}

// A space between Latin words or numbers ("A 市", "lift is broken") is part of the wording, not a pause.
const latinOrDigit = /[A-Za-z0-9]/;
function joinsLatinWords(text: string, index: number): boolean {
  return /\s/.test(text[index] ?? '') && latinOrDigit.test(text[index - 1] ?? '') && latinOrDigit.test(text[index + 1] ?? '');
}

function overlaps(clause: Clause, spans: readonly Evidence[]): boolean {
  return spans.some((span) => span.segmentId === clause.line.id && span.start < clause.end && clause.start < span.end);
}

function featuresOf(clause: Clause): MatterFeature[] {
  const text = clause.delimiter === '？' || clause.delimiter === '?' ? `${clause.text}吗` : clause.text;
  return (Object.keys(matterFeatures) as MatterFeature[]).filter((feature) => matterFeatures[feature].test(text));
}

/** Letters and digits: what a clause says, without its punctuation. */
function contentLength(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** How the clause ends in the summary, given the clause that follows it there (or none). */
function joiner(clause: Clause, next: Clause | undefined): string {
  const continuesSentence = next !== undefined && next.sentence === clause.sentence;
  // Words in a Latin script keep their own punctuation: "Hello, the light is broken." stays so.
  if (continuesSentence && clause.delimiter === ',' && latinOrDigit.test(clause.text.at(-1) ?? '')) return ', ';
  if (continuesSentence) return '，';
  if (/[.。!?！？]$/.test(clause.text)) return '';
  if (clause.isLastOfSentence && sentenceEnds.has(clause.delimiter) && clause.delimiter !== '\n' && clause.delimiter !== '…') {
    return fullWidth[clause.delimiter] ?? clause.delimiter;
  }
  return '。';
}

/**
 * A short summary of what the caller asks, at most `maxLength` characters (150), cut between clauses.
 * Null when the caller said nothing beyond greetings, confirmations and their contact details, or
 * only a word.
 */
export function summariseCall(lines: readonly TranscriptLine[], options: SummaryOptions = {}): Proposal<string> | null {
  const maxLength = Math.max(10, options.maxLength ?? defaultMaxLength);
  const callerLines = lines.filter((line) => line.speaker === 'caller' && line.text.trim() !== '');
  if (callerLines.length === 0) return null;

  // Spans that belong to other fields: the numbers, the name, the follow-up wish.
  const otherFields: Evidence[] = [
    ...extractPhoneNumbers(callerLines).flatMap((phone) => phone.evidence),
    ...(extractCallerName(callerLines)?.evidence ?? []),
    ...(extractFollowUp(callerLines)?.evidence ?? []),
  ];
  const substantive = splitClauses(callerLines).filter(
    (clause) =>
      !fillerClause.test(clause.text) &&
      !openerClause.test(clause.text) &&
      !contactClause.some((pattern) => pattern.test(clause.text)) &&
      !overlaps(clause, otherFields),
  );
  if (substantive.reduce((sum, clause) => sum + contentLength(clause.text), 0) < shortestMatter) return null;

  // Sentences are the units: a summary of whole sentences reads as the caller said it. Each is
  // scored by its place (the matter is usually stated first) and the kinds of matter it covers.
  const sentences: { clauses: Clause[]; rank: number; features: MatterFeature[]; score: number }[] = [];
  for (const clause of substantive) {
    const current = sentences.at(-1);
    if (current && current.clauses[0]?.sentence === clause.sentence) current.clauses.push(clause);
    else sentences.push({ clauses: [clause], rank: sentences.length, features: [], score: 0 });
  }
  for (const sentence of sentences) {
    sentence.features = [...new Set(sentence.clauses.flatMap(featuresOf))];
    const tooShort = contentLength(sentence.clauses.map((clause) => clause.text).join('')) < 3 && !sentence.features.includes('where');
    const isReaction = sentence.clauses.some((clause) => reactionClause.test(clause.text));
    sentence.score =
      firstSentenceBonus * positionDecay ** sentence.rank + sentence.features.length - (tooShort ? 1 : 0) - (isReaction ? reactionPenalty : 0);
  }

  // The best sentences that fit, best first. One that does not fit gives its first clauses, while
  // there is room for a real part of it. A sentence already said (a title the body repeats) adds
  // nothing. Each clause costs its text and the one character that ends it.
  const chosen: { clauses: Clause[]; rank: number; features: MatterFeature[] }[] = [];
  const chosenText: string[] = [];
  let room = maxLength;
  const [firstSentence, ...laterSentences] = sentences;
  const byValue = [...laterSentences].sort((a, b) => b.score - a.score || a.rank - b.rank);
  for (const sentence of firstSentence ? [firstSentence, ...byValue] : byValue) {
    if (sentence.score < selectionThreshold && chosen.length > 0) break;
    const text = sentence.clauses.map((clause) => clause.text).join('');
    if (chosenText.some((said) => said.includes(text))) continue;
    const fitting: Clause[] = [];
    let cost = 0;
    for (const clause of sentence.clauses) {
      if (cost + clause.text.length + 1 > room) break;
      fitting.push(clause);
      cost += clause.text.length + 1;
    }
    const whole = fitting.length === sentence.clauses.length;
    if (fitting.length === 0 || (!whole && cost < shortestPart)) continue;
    chosen.push({ clauses: fitting, rank: sentence.rank, features: whole ? sentence.features : [...new Set(fitting.flatMap(featuresOf))] });
    chosenText.push(text);
    room -= cost;
  }

  const firstClause = substantive[0];
  if (chosen.length === 0 && firstClause) {
    // Even the first clause is too long: cut it, and say so with an ellipsis.
    const cut = firstClause.text.slice(0, maxLength - 1);
    return {
      value: `${cut}…`,
      confidence: confidenceOf(featuresOf(firstClause), cut),
      evidence: [{ segmentId: firstClause.line.id, start: firstClause.start, end: firstClause.start + cut.length }],
    };
  }

  const used = chosen.sort((a, b) => a.rank - b.rank).flatMap((sentence) => sentence.clauses);
  const value = used.map((clause, index) => clause.text + joiner(clause, used[index + 1])).join('');
  const covered = [...new Set(chosen.flatMap((sentence) => sentence.features))];
  return { value, confidence: confidenceOf(covered, value), evidence: mergeSpans(used) };
}

/**
 * How well the summary covers the matter: what, where, since when and what is wanted each add to a
 * base. Text without any Chinese is taken as something the rules cannot read.
 */
function confidenceOf(features: readonly MatterFeature[], value: string): number {
  if (!/\p{Script=Han}/u.test(value)) return 0.2;
  // In tenths, so that the figure reads as set (0.7, not 0.7000000000000001).
  return Math.min(8, 4 + features.length) / 10;
}

/** The clauses' spans, neighbours in one line merged so that the evidence reads as whole passages. */
function mergeSpans(clauses: readonly Clause[]): Evidence[] {
  const spans: Evidence[] = [];
  for (const clause of clauses) {
    const last = spans.at(-1);
    const between = last && last.segmentId === clause.line.id ? clause.line.text.slice(last.end, clause.start) : null;
    if (last && between !== null && [...between].every((character) => clauseEnds.has(character))) {
      last.end = clause.end;
    } else {
      spans.push({ segmentId: clause.line.id, start: clause.start, end: clause.end });
    }
  }
  return spans;
}
