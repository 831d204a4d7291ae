import type { DraftFieldName } from '../../../src-main/contract';

/** The attribute that marks the part of the form showing one proposed field (see DraftFieldFrame). */
export const draftFieldAttribute = 'data-draft-field';

// Inside a radio group only the chosen option takes the focus, as the Tab key would give it.
const chosenOption = 'input[type="radio"]:checked:not(:disabled)';
const anyControl = [
  'input:not([type="hidden"]):not([type="radio"]):not(:disabled)',
  'textarea:not(:disabled)',
  'button[role="switch"]:not(:disabled)',
  'input[type="radio"]:not(:disabled)',
].join(', ');

/** Moves the keyboard to a field of the work order and brings it into view. False when it is not shown. */
export function focusDraftField(field: DraftFieldName): boolean {
  const frame = document.querySelector<HTMLElement>(`[${draftFieldAttribute}="${field}"]`);
  if (!frame) return false;
  const control = frame.querySelector<HTMLElement>(chosenOption) ?? frame.querySelector<HTMLElement>(anyControl);
  frame.scrollIntoView({ block: 'center' });
  control?.focus({ preventScroll: true });
  return control !== null;
}
