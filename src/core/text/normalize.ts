/**
 * Normalises any input text the same way: Unicode NFC, BOM removed, CRLF/CR → LF, curly quotes
 * and dashes → ASCII, HTML entities decoded, non-breaking and zero-width spaces handled, runs of
 * spaces collapsed, trailing spaces trimmed per line. Paragraph breaks (blank lines) are kept.
 */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '-',
  mdash: '-',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  sbquo: "'",
  bdquo: '"',
  hellip: '...',
  laquo: '"',
  raquo: '"',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  deg: '°',
  eacute: 'é',
  egrave: 'è',
  aacute: 'á',
  agrave: 'à',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ntilde: 'ñ',
  ouml: 'ö',
  uuml: 'ü',
  auml: 'ä',
  ccedil: 'ç',
  szlig: 'ß',
  middot: '·',
  bull: '•',
  shy: '',
};

function decodeEntity(m: string, body: string): string {
  if (body.startsWith('#')) {
    const hex = body[1] === 'x' || body[1] === 'X';
    const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return m;
    return String.fromCodePoint(cp);
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? m;
}

/** Decodes HTML character references (`&amp;`, `&#8217;`, `&#x2019;`). Unknown names stay as they are. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, decodeEntity);
}

/** Normalises text as described at the top of this module. Idempotent. */
export function normalizeText(input: string): string {
  let s = input.startsWith('\uFEFF') ? input.slice(1) : input;
  s = decodeEntities(s);
  s = s.normalize('NFC');
  s = s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2013\u2014\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF|\u00AD/g, '')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t\f\v]/g, ' ')
    .replace(/[\u2028\u2029]/g, '\n');
  s = s
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return s.trim();
}
