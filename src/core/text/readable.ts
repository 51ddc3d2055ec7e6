/**
 * Refuses text that is not text: NUL-heavy or mostly control characters, as a binary file, or a
 * UTF-16 file read as UTF-8, gives. Pure.
 */
import { StanceError } from '../errors.js';

/**
 * Texts with a larger share of control characters are refused. A UTF-16 file read as UTF-8 is
 * half NULs and a binary file far over this; a short article with a few terminal escape sequences
 * (which the CLI strips when printing) stays under it.
 */
export const MAX_CONTROL_SHARE = 0.2;

/** C0 and C1 control characters and DEL, except tab, line feed, vertical tab, form feed and return. */
function isControl(c: number): boolean {
  return (c < 0x20 && (c < 0x09 || c > 0x0d)) || (c >= 0x7f && c <= 0x9f);
}

/**
 * Throws unless `text` reads as text: at most {@link MAX_CONTROL_SHARE} of its characters are
 * control characters. Linear.
 *
 * @throws StanceError INPUT_ENCODING naming the share and the first control character.
 */
export function assertReadableText(text: string, field: string): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    if (!isControl(text.charCodeAt(i))) continue;
    if (first < 0) first = i;
    count++;
  }
  if (count === 0 || count <= MAX_CONTROL_SHARE * text.length) return;
  const code = text.charCodeAt(first).toString(16).toUpperCase().padStart(4, '0');
  const share = ((100 * count) / text.length).toFixed(0);
  throw new StanceError(
    'INPUT_ENCODING',
    `expected text in the ${field}; found ${count} control characters in ${text.length} (${share}%, the first U+${code} at character ${first + 1}): is it a binary or UTF-16 file?`,
    { field },
  );
}
