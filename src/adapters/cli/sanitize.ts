/**
 * Keeps text from the input from driving the terminal: everything the CLI prints passes through
 * here. Human text loses terminal escape sequences (CSI `ESC [ …`, OSC `ESC ] … BEL/ST`, other
 * `ESC x` pairs) and C0/C1 control characters except newline and tab; JSON keeps every character
 * but escapes the ones JSON.stringify leaves raw (DEL, C1, U+2028/U+2029).
 */

/**
 * One alternation, matched left to right in a single linear pass:
 * - CSI: ESC [ parameters/intermediates, then a final byte (or the end of the text);
 * - OSC, DCS, SOS, PM, APC: ESC ] P X ^ _ up to BEL or ESC \ (or the end of the line);
 * - any other ESC plus the character after it (unless that is a newline);
 * - a lone C0 (except tab and newline), DEL or C1 control.
 */
const TERMINAL_CONTROLS =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[\x20-\x3f]*[\x40-\x7e]?|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[^\n]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Removes terminal escape sequences and control characters (newline and tab stay). */
export function stripControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, '');
}

/** A copy of `value` with {@link stripControls} applied to every string in it (keys included). */
export function stripControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return stripControls(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => stripControlsDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripControls(k)] = stripControlsDeep(v);
    return out as T;
  }
  return value;
}

/** JSON.stringify escapes C0 controls (ESC included) but writes DEL, C1 and U+2028/9 raw. */
const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029]/g;

/**
 * Escapes the control characters JSON.stringify leaves raw in JSON text (one value or JSON lines):
 * they can only occur inside strings, where `\u00XX` means the same character.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * How `batch` and `queue collect` write result lines: a file gets them as they are (the same
 * bytes from both); printed to stdout (`--out -`), CSV loses control characters and JSONL gets
 * them escaped, so text from the input cannot drive the terminal.
 */
export function resultText(out: string, format: 'csv' | 'jsonl'): (text: string) => string {
  if (out !== '-') return (text) => text;
  return format === 'csv' ? stripControls : escapeJsonControls;
}

/** JSON text for `value` with no raw control character in it (the data itself is unchanged). */
export function safeJson(value: unknown): string {
  return escapeJsonControls(JSON.stringify(value));
}
