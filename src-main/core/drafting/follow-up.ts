import type { FollowUp } from '../../contract';
import type { Proposal } from './caller-cues';
import type { Evidence, TranscriptLine } from './phone-extraction';

/**
 * Whether and how the caller wants to hear back (回访): "处理完给我回个电话", "短信告诉我就行", "不用回访",
 * "电话就不留了". A caller who changes their mind is taken at their latest word.
 */

type Method = FollowUp['method'];

interface WishPattern {
  /** Global, for matchAll. */
  pattern: RegExp;
  wanted: boolean;
  /** null: the caller wants to hear back but did not say how. */
  method: Method | null;
  confidence: number;
}

// The wish itself, said outright. Order matters only for readability: every pattern is tried and
// the statement said last wins. Phrases that also tell a story ("他给我打电话说…", "发短信骂人",
// "打电话通知我们去签合同") count only where the wording makes them a request.
const wishPatterns: WishPattern[] = [
  {
    pattern: /(?:发|回)个?短信(?:给我|告诉我|通知我|就行|就可以)|短信(?:告诉|通知|回复|联系|答复)我(?!们)|短信就行|用短信/gu,
    wanted: true,
    method: 'sms',
    confidence: 0.85,
  },
  {
    pattern:
      /给我回个?电话|回个电话|回电话给我|给我打个?电话(?=$|[吧啊，。！？,.!?]|告诉|通知)|(?:请|麻烦|希望|需要|到时候?|回头|处理完了?)(?:你们)?(?:再)?(?:给我)?(?:打个?)?电话(?:告诉|通知|联系)我(?!们)|(?:需要|要|希望|请|麻烦)(?:你们)?(?:给我)?回电|给我回电/gu,
    wanted: true,
    method: 'phone',
    confidence: 0.85,
  },
  {
    pattern:
      /(?:需要|要|希望|请|麻烦)(?:你们)?(?:给我)?(?:回复|答复|回访|反馈)|给我个?(?:回复|答复|反馈|回话|回信|说法)|(?:处理完|处理好|办完|修好|弄好|有结果)了?(?:以后|之后)?(?:告诉|通知|回复|联系|反馈给?)我|结果(?:告诉|通知|反馈给?)我|告诉我(?:处理)?结果/gu,
    wanted: true,
    method: null,
    confidence: 0.75,
  },
  {
    pattern:
      /(?:不用|不需要|不要|不想|不希望|别|无需|不必|没必要)(?:再)?(?:要)?(?:你们)?(?:给我)?(?:回访|回电话?|回复|答复|反馈|打电话|联系我|通知我|告诉我|发短信|回了)(?=$|[了啦吧啊，。！？,.!?]|给我)/gu,
    wanted: false,
    method: 'none',
    confidence: 0.85,
  },
  {
    pattern: /电话就?不留了?|不留(?:电话|联系方式|号码)|不用留(?:电话|号码)/gu,
    wanted: false,
    method: 'none',
    confidence: 0.8,
  },
];

// A wish said after a negation in the same clause ("不需要回复", "别给我打电话") is the opposite wish;
// the negative patterns above also catch it, but a positive match must not outlive them.
const negatedBefore = /(?:不用|不需要|不要|不想|不希望|别|无需|不必|没必要|不)(?:再)?(?:你们)?$/u;
const clauseBreak = /[，。！？；,.!?;\s]/u;

// The operator asking whether to reply ("需要给您回复吗？", "处理结果用短信通知您可以吗？"), and the
// caller's short answer to it. Reply and question in one sentence: "您的联系电话是这个号码吗？抢修人员
// 会联系您" checks a number for the crew, it does not offer a reply.
const operatorAsksAboutReply = /回复|回电|回访|反馈|告诉您|通知您/u;
const isQuestion = /[？?]|吗|要不要|需不需要|是否/u;
const sentenceEnd = /(?<=[。！？!?；;])/u;
const acceptsAnswer = /^(?:需要|要|好的?|可以|行|嗯|对|是的?)/u;
const declinesAnswer = /^(?:不用|不需要|不要|算了|没必要|不必)/u;

// The usual way a hotline calls back is the telephone: a wish without a method is taken as that.
const defaultMethod: Method = 'phone';
const answerConfidence = 0.6;
const maxNoteLength = 200;

interface Statement {
  wanted: boolean;
  method: Method;
  confidence: number;
  evidence: Evidence;
  note: string;
}

// When to call, said just after the wish ("给我回个电话，下午五点以后"): the note keeps it.
const timePreference = /上午|下午|中午|晚上|白天|工作日|周末|[点时](?:以|之)?[前后]|以后|之前/u;

/** Where the clause holding `index` begins: after the last punctuation or space before it. */
function clauseStart(text: string, index: number): number {
  let from = index;
  while (from > 0 && !clauseBreak.test(text[from - 1] ?? '')) from -= 1;
  return from;
}

/**
 * The clause (between punctuation) around a span, and the next clause where it says when to call:
 * what the note keeps of the caller's words.
 */
function clauseAround(text: string, start: number, end: number): string {
  const from = clauseStart(text, start);
  let to = end;
  while (to < text.length && !clauseBreak.test(text[to] ?? '')) to += 1;
  let nextEnd = to + 1;
  while (nextEnd < text.length && !clauseBreak.test(text[nextEnd] ?? '')) nextEnd += 1;
  const next = text.slice(to + 1, nextEnd);
  if (timePreference.test(next)) to = nextEnd;
  return text.slice(from, to).trim().slice(0, maxNoteLength);
}

function statementsIn(line: TranscriptLine): Statement[] {
  const statements: Statement[] = [];
  for (const { pattern, wanted, method, confidence } of wishPatterns) {
    for (const match of line.text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (wanted && negatedBefore.test(line.text.slice(clauseStart(line.text, start), start))) continue;
      statements.push({
        wanted,
        method: method ?? defaultMethod,
        confidence,
        evidence: { segmentId: line.id, start, end },
        note: clauseAround(line.text, start, end),
      });
    }
  }
  return statements.sort((a, b) => a.evidence.end - b.evidence.end);
}

/** The caller's yes or no to an operator's question about replying, as a statement. */
function answerTo(question: TranscriptLine, answer: TranscriptLine): Statement | null {
  const asked = question.text.split(sentenceEnd).find((sentence) => operatorAsksAboutReply.test(sentence) && isQuestion.test(sentence));
  if (asked === undefined) return null;
  const text = answer.text.trim();
  const offset = answer.text.indexOf(text);
  const declined = declinesAnswer.exec(text);
  const accepted = declined ? null : acceptsAnswer.exec(text);
  const match = declined ?? accepted;
  if (!match) return null;
  const method: Method = /短信/u.test(asked) ? 'sms' : defaultMethod;
  return {
    wanted: !declined,
    method: declined ? 'none' : method,
    confidence: answerConfidence,
    evidence: { segmentId: answer.id, start: offset, end: offset + match[0].length },
    note: '',
  };
}

/**
 * The caller's follow-up wish, from what they said outright or from their yes or no to the operator's
 * question about it; the latest statement wins. Null when the call never touched on it: whether to
 * call back is then the operator's default, not something the caller asked for.
 */
export function extractFollowUp(lines: readonly TranscriptLine[]): Proposal<FollowUp> | null {
  let latest: Statement | null = null;
  for (const [index, line] of lines.entries()) {
    if (line.speaker !== 'caller') continue;
    const said = statementsIn(line);
    const previous = lines[index - 1];
    // An explicit wish in the answer says more than its first word ("好，不过发短信就行").
    const answered = said.length === 0 && previous?.speaker === 'operator' ? answerTo(previous, line) : null;
    latest = said.at(-1) ?? answered ?? latest;
  }
  if (latest === null) return null;
  const { wanted, method, confidence, evidence, note } = latest;
  return { value: { wanted, method, note }, confidence, evidence: [evidence] };
}
