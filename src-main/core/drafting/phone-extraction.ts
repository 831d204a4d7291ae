import { isValidPhone } from '../cases/phone-number';

/** The words a proposal rests on: characters [start, end) of one transcript segment's text. */
export interface Evidence {
  segmentId: string;
  start: number;
  end: number;
}

export interface TranscriptLine {
  id: string;
  speaker: 'caller' | 'operator';
  text: string;
}

export interface PhoneProposal {
  /** Digits only, e.g. 13912345678 or 01065123456. */
  value: string;
  kind: 'mobile' | 'landline';
  confidence: number;
  evidence: Evidence[];
}

// How callers say digits: 幺 for 1 and 两 for 2 (so they are not misheard), 洞 for 0, 拐 for 7, 勾 for 9.
const spokenDigits: Record<string, string> = {
  '0': '0', '〇': '0', '零': '0', '洞': '0', 'o': '0', 'O': '0',
  '1': '1', '一': '1', '幺': '1', '么': '1',
  '2': '2', '二': '2', '两': '2',
  '3': '3', '三': '3',
  '4': '4', '四': '4',
  '5': '5', '五': '5',
  '6': '6', '六': '6',
  '7': '7', '七': '7', '拐': '7',
  '8': '8', '八': '8',
  '9': '9', '九': '9', '勾': '9',
};
// Between digit groups a caller pauses, and the transcript shows it as a space or punctuation.
const separators = new Set([' ', '\u3000', '-', '－', '—', '、', '，', ',', '.', '。', '…']);
// Words that say a number is a phone number; without one, a proposal is less certain.
const phoneCues = /电话|手机|号码|号是|联系方式|打这个|回电|座机|手机号/;
const lettersO = /[oO]/;

interface DigitRun {
  digits: string;
  evidence: Evidence;
}

/** Runs of spoken or written digits in one line, separators allowed inside a run. */
function digitRuns(line: TranscriptLine): DigitRun[] {
  const runs: DigitRun[] = [];
  const characters = [...line.text];
  let offset = 0;
  let current: { digits: string; start: number; end: number } | null = null;
  for (const character of characters) {
    const digit = spokenDigits[character];
    // A letter O counts as 0 only inside a run of digits (a caller reading "1 3 9 o").
    const isDigit = digit !== undefined && !(lettersO.test(character) && current === null);
    if (isDigit) {
      current ??= { digits: '', start: offset, end: offset };
      current.digits += digit;
      current.end = offset + character.length;
    } else if (!(current && separators.has(character))) {
      if (current) runs.push({ digits: current.digits, evidence: { segmentId: line.id, start: current.start, end: current.end } });
      current = null;
    }
    offset += character.length;
  }
  if (current) runs.push({ digits: current.digits, evidence: { segmentId: line.id, start: current.start, end: current.end } });
  return runs;
}

function kindOf(digits: string): PhoneProposal['kind'] | null {
  if (!isValidPhone(digits)) return null;
  return digits.startsWith('1') ? 'mobile' : 'landline';
}

/**
 * Phone numbers the caller says, from the transcript in order: written or spoken digits (幺三八…,
 * 一三九零…), groups separated by pauses, and numbers spread over consecutive utterances. A caller
 * who corrects a number is taken at their latest word: the last number said comes first, the
 * earlier ones follow with less confidence, each with the words it rests on.
 */
export function extractPhoneNumbers(lines: readonly TranscriptLine[]): PhoneProposal[] {
  const found: (PhoneProposal & { order: number })[] = [];
  const callerLines = lines.filter((line) => line.speaker === 'caller');
  let pending: { digits: string; evidence: Evidence[]; cue: boolean } | null = null;
  let said = 0;

  const settle = () => {
    if (!pending) return;
    const order = (said += 1);
    const kind = kindOf(pending.digits);
    if (kind) {
      const spread = pending.evidence.length > 1;
      const confidence = (pending.cue ? 0.9 : 0.7) - (spread ? 0.1 : 0);
      found.push({ value: pending.digits, kind, confidence, evidence: pending.evidence, order });
    }
    pending = null;
  };

  for (const line of callerLines) {
    const cue = phoneCues.test(line.text);
    const runs = digitRuns(line);
    const text = line.text.trimEnd();
    for (const [runIndex, run] of runs.entries()) {
      const startsLine = line.text.slice(0, run.evidence.start).trim() === '';
      // A number cut by the end of an utterance goes on in the next one.
      if (pending && runIndex === 0 && startsLine && pending.digits.length < 12) {
        pending.digits += run.digits;
        pending.evidence.push(run.evidence);
        pending.cue ||= cue;
      } else {
        settle();
        pending = { digits: run.digits, evidence: [run.evidence], cue };
      }
      const endsLine = text.slice(run.evidence.end).replace(/[。，,.…\s]/g, '') === '';
      if (!endsLine || kindOf(pending.digits) === 'mobile') settle();
    }
    if (runs.length === 0) settle();
  }
  settle();

  // The latest number first: a correction replaces what was said before it.
  const unique = new Map<string, PhoneProposal & { order: number }>();
  for (const proposal of found) unique.set(proposal.value, { ...proposal, evidence: [...(unique.get(proposal.value)?.evidence ?? []), ...proposal.evidence] });
  const ordered = [...unique.values()].sort((a, b) => b.order - a.order);
  return ordered.map(({ order: _order, ...proposal }, position) => ({
    ...proposal,
    // Earlier numbers were corrected: still shown, no longer the proposal.
    confidence: position === 0 ? proposal.confidence : Math.min(proposal.confidence, 0.3),
  }));
}
