/** A row of ../shared/data/tipdm-messages-dev.jsonl (title, id and time are missing on some rows). */
export interface LabelledMessage {
  id?: number;
  index: number;
  title?: string;
  body: string;
  time?: string;
  label: string;
}

/** A deterministic shuffle (the same split every run, so figures compare across runs). */
function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const shuffled = [...items];
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other] as T, shuffled[index] as T];
  }
  return shuffled;
}

export function splitMessages(messages: readonly Omit<LabelledMessage, 'index'>[], trainShare: number, seed = 12345) {
  const indexed = messages.map((message, index) => ({ ...message, index }));
  const shuffled = seededShuffle(indexed, seed);
  const cut = Math.round(shuffled.length * trainShare);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

/** What a caller would say: the title and the first two sentences of the message. */
export function callerQuery(message: LabelledMessage): string {
  const sentences = message.body.split(/(?<=[。！？!?])/).slice(0, 2).join('');
  return `${message.title ?? ''} ${sentences}`.trim();
}
