import type { AppealType, UrgencyLevel } from '../../contract';
import { affirmedOccurrences } from './cue-words';
import type { Evidence, TranscriptLine } from './phone-extraction';

export interface Proposal<T> {
  value: T;
  confidence: number;
  evidence: Evidence[];
}

/** How the caller asked to be addressed: a surname, a full name where given, and the courtesy title. */
export interface CallerName {
  surname: string;
  fullName: string | null;
  /** 先生 or 女士 when the caller (or the operator) said so; otherwise null. */
  title: '先生' | '女士' | null;
}

// "我姓王", "免贵姓李", "我叫张伟", "我是王女士": the ways callers give their name. A surname is one
// character (or a two-character compound surname such as 欧阳); a full name two to four.
const surnamePatterns = [/(?:我|本人)?(?:免贵)?姓([\p{Script=Han}]{1,2}?)(?=[，。,\s]|先生|女士|小姐|$|是|叫|的)/u];
const fullNamePatterns = [/(?:我叫|我的名字是|名字叫|我是)([\p{Script=Han}]{2,4}?)(?=[，。,\s]|$|先生|女士)/u];
const titledPattern = /([\p{Script=Han}]{1,2})(先生|女士|小姐)/u;
// Words a name never is: "我是业主", "我是住户", "我叫物业".
const notNames = new Set(['业主', '住户', '租户', '居民', '物业', '家长', '老人', '学生', '市民', '司机', '患者', '村民', '职工', '员工']);
const compoundSurnames = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容', '尉迟', '长孙', '宇文', '夏侯', '司徒', '公孙', '令狐']);

function evidenceOf(line: TranscriptLine, match: RegExpExecArray, group: number): Evidence {
  const start = match.index + match[0].indexOf(match[group] ?? '');
  return { segmentId: line.id, start, end: start + (match[group]?.length ?? 0) };
}

function surnameOf(name: string): string {
  const two = name.slice(0, 2);
  return compoundSurnames.has(two) ? two : name.slice(0, 1);
}

/** The caller's name as they gave it; the latest statement wins. Null when they gave none. */
export function extractCallerName(lines: readonly TranscriptLine[]): Proposal<CallerName> | null {
  let found: Proposal<CallerName> | null = null;
  for (const line of lines) {
    if (line.speaker !== 'caller') continue;
    for (const pattern of fullNamePatterns) {
      const match = pattern.exec(line.text);
      const name = match?.[1];
      if (match && name && !notNames.has(name) && !/先生|女士|小姐/.test(name)) {
        found = { value: { surname: surnameOf(name), fullName: name, title: null }, confidence: 0.75, evidence: [evidenceOf(line, match, 1)] };
      }
    }
    for (const pattern of surnamePatterns) {
      const match = pattern.exec(line.text);
      const surname = match?.[1];
      if (match && surname) found = { value: { surname, fullName: null, title: null }, confidence: 0.85, evidence: [evidenceOf(line, match, 1)] };
    }
    const titled = titledPattern.exec(line.text);
    if (titled && titled[1] && !notNames.has(titled[1])) {
      const surname = compoundSurnames.has(titled[1]) ? titled[1] : titled[1].slice(-1);
      const title = titled[2] === '先生' ? '先生' : '女士';
      found = { value: { surname, fullName: found?.value.surname === surname ? found.value.fullName : null, title }, confidence: 0.85, evidence: [evidenceOf(line, titled, 0)] };
    }
  }
  if (!found || found.value.title) return found;
  // The operator often says it back: "王女士您好".
  for (const line of lines) {
    if (line.speaker !== 'operator') continue;
    const addressed = new RegExp(`${found.value.surname}(先生|女士|小姐)`, 'u').exec(line.text);
    if (addressed) {
      found = {
        value: { ...found.value, title: addressed[1] === '先生' ? '先生' : '女士' },
        confidence: found.confidence,
        evidence: [...found.evidence, evidenceOf(line, addressed, 0)],
      };
    }
  }
  return found;
}

// "不想留名", "匿名", "不要透露我的信息", "保密": the caller asks not to be named to the department.
const anonymityPattern = /匿名|不(?:想|愿意?|要)(?:留|透露|告诉)(?:名字|姓名|我的(?:名字|姓名|信息|电话)|个人信息)|(?:帮我|替我|给我)?保密|不要(?:说|讲)是我/u;

/** Whether the caller asked to stay anonymous, with the words they used. */
export function extractAnonymityRequest(lines: readonly TranscriptLine[]): Proposal<boolean> | null {
  for (const line of lines) {
    if (line.speaker !== 'caller') continue;
    const match = anonymityPattern.exec(line.text);
    if (match) return { value: true, confidence: 0.85, evidence: [{ segmentId: line.id, start: match.index, end: match.index + match[0].length }] };
  }
  return null;
}


// Which level wins when cues of several are said: danger first, then disrupted daily life; a
// dispute outranks the routine words (社保, 物业) that nearly every dispute also contains.
const urgencyPrecedence: readonly UrgencyLevel[] = ['极急', '急办', '争议', '常规'];

/**
 * How urgent the matter is from the cue words (resources/urgency-cues.json): the most urgent level
 * any caller cue reaches, with every cue of that level as evidence. Without a cue: null, for the
 * operator to decide; a guess of 常规 would look surer than it is.
 */
export function extractUrgency(lines: readonly TranscriptLine[], cues: readonly { level: UrgencyLevel; words: string[] }[]): Proposal<UrgencyLevel> | null {
  const byPrecedence = [...cues].sort((a, b) => urgencyPrecedence.indexOf(a.level) - urgencyPrecedence.indexOf(b.level));
  for (const { level, words } of byPrecedence) {
    const evidence: Evidence[] = [];
    for (const line of lines) {
      if (line.speaker !== 'caller') continue;
      for (const word of words) evidence.push(...affirmedOccurrences(line, word));
    }
    if (evidence.length > 0) {
      // More cues of the level, more certainty; a single cue word is still only a cue.
      return { value: level, confidence: Math.min(0.95, 0.7 + 0.1 * (evidence.length - 1)), evidence };
    }
  }
  return null;
}

// What kind of appeal the call is, from the caller's own words. The type's name said outright
// ("我要投诉") counts three times a word that only suggests it.
const appealCues: { type: AppealType; named: string[]; hints: string[] }[] = [
  { type: '举报', named: ['举报', '揭发'], hints: ['违法', '非法', '偷排', '违规', '私搭乱建', '违章', '黑车', '无证'] },
  { type: '投诉', named: ['投诉'], hints: ['态度差', '不作为', '不管', '不处理', '没人管', '扰民', '推诿', '拖着不办', '乱收费'] },
  { type: '求助', named: ['求助', '求救'], hints: ['帮帮', '帮忙', '救救', '困在', '没办法了', '走投无路'] },
  { type: '咨询', named: ['咨询'], hints: ['想问', '请问', '问一下', '怎么办理', '需要什么材料', '在哪里办', '能不能', '可不可以'] },
  { type: '建议', named: ['建议'], hints: ['希望增加', '能否增设', '提个意见', '提意见', '应该加'] },
  { type: '表扬', named: ['表扬', '点赞'], hints: ['感谢', '谢谢你们', '太负责了', '办得好'] },
];

/**
 * The appeal type (咨询 求助 投诉 举报 建议 表扬) the caller's words point to. Null without any cue:
 * the operator chooses.
 */
export function extractAppealType(lines: readonly TranscriptLine[]): Proposal<AppealType> | null {
  const scored = appealCues.map(({ type, named, hints }) => {
    const evidence: Evidence[] = [];
    let score = 0;
    for (const line of lines) {
      if (line.speaker !== 'caller') continue;
      for (const [words, weight] of [[named, 3], [hints, 1]] as const) {
        for (const word of words) {
          const occurrences = affirmedOccurrences(line, word);
          evidence.push(...occurrences);
          score += weight * occurrences.length;
        }
      }
    }
    return { type, score, evidence };
  });
  const total = scored.reduce((sum, entry) => sum + entry.score, 0);
  const best = [...scored].sort((a, b) => b.score - a.score)[0];
  if (!best || best.score === 0) return null;
  // The share of all cues that point this way, capped: cue words are evidence, not proof.
  return { value: best.type, confidence: Math.min(0.9, best.score / total), evidence: best.evidence };
}
