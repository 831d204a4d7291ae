import type { TranscriptLine } from '../../src-main/core/drafting/phone-extraction';
import type { ReferenceData } from '../../src-main/core/reference';

let counter = 0;

/** A line the caller said, with an id of its own. */
export const caller = (text: string): TranscriptLine => ({ id: `s${(counter += 1)}`, speaker: 'caller', text });

/** A line the operator said, with an id of its own. */
export const operator = (text: string): TranscriptLine => ({ id: `s${(counter += 1)}`, speaker: 'operator', text });

/** A shipped sample call's utterances as transcript lines, ids `<call>-<index>`. */
export function sampleCallLines(reference: ReferenceData, id: string): TranscriptLine[] {
  const call = reference.findSampleCall(id);
  if (!call) throw new Error(`no sample call ${id}`);
  return call.utterances.map((utterance, index) => ({ id: `${id}-${index}`, speaker: utterance.speaker, text: utterance.text }));
}
