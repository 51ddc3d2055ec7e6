/**
 * Readers for FNC-1 files: the bodies CSV (`Body ID,articleBody`), the stances CSV
 * (`Headline,Body ID[,Stance]`) and pairs JSONL (`{"headline","body"}` or `{"headline","bodyId"}`
 * per line). Every problem becomes a {@link StanceError} naming the file, the row and what was
 * expected and found. Rows are numbered as data rows from 1 (the header is not counted); the
 * physical line in the file is given too, since quoted bodies span several lines.
 */
import { basename } from 'node:path';
import { StanceError } from '../../core/errors.js';
import { LABELS, isLabel, type Label } from '../../core/labels.js';
import type { TrainingPair } from '../../core/train/train.js';
import { readInput } from './read-input.js';
import { CsvSyntaxError, parseCsvRecords, type CsvRecord } from './csv.js';

/** Data files can be much larger than one article: default limit 256 MB. */
export const DEFAULT_DATA_MAX_BYTES = 256 * 1024 * 1024;

/** Bodies by Body ID (as written in the file, trimmed). */
export type Bodies = Map<string, string>;

/** One row of a stances file. */
export interface StanceRow {
  headline: string;
  bodyId: string;
  /** Gold stance, when the file has a Stance column and it was read. */
  stance?: Label;
  /** 1-based data row (header not counted). */
  row: number;
}

/** One pair from a JSONL file. */
export interface PairRow {
  headline: string;
  /** The Body ID when the line named one. */
  bodyId?: string;
  body: string;
  /** True when the line carried its own body text (rather than a bodyId looked up in the bodies). */
  ownBody: boolean;
  /** 1-based line of the JSONL file. */
  row: number;
}

/** Options shared by the readers. */
export interface ReadDataOptions {
  /** Size limit in bytes. Default {@link DEFAULT_DATA_MAX_BYTES}. */
  maxBytes?: number;
}

/** How {@link readStances} treats the Stance column. */
export interface ReadStancesOptions extends ReadDataOptions {
  /** When given, every Body ID must be in it (else UNKNOWN_BODY_ID). */
  bodies?: Bodies;
  /**
   * `required`: the column must exist and hold a label (gold or predictions);
   * `optional`: read it when present; `ignore`: never read it. Default `optional`.
   */
  stance?: 'required' | 'optional' | 'ignore';
}

interface Located {
  cells: string[];
  /** 1-based data row. */
  row: number;
  /** 1-based line in the file where the record starts. */
  line: number;
}

function where(file: string, row: number, line: number): string {
  return `row ${row} of ${basename(file)} (data rows numbered from 1 after the header; line ${line} of the file)`;
}

/** Parses CSV text into header + located data rows; malformed rows raise INPUT_FORMAT. */
function parseCsv(text: string, file: string): { header: string[]; rows: Located[] } {
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    const dataRow = e.record - 1;
    const at =
      dataRow > 0
        ? `row ${dataRow} of ${basename(file)} (data rows numbered from 1 after the header; error detected at line ${e.line} of the file)`
        : `${basename(file)} at line ${e.line}`;
    throw new StanceError(
      'INPUT_FORMAT',
      `${at} is not well-formed CSV; expected quoted fields and a constant number of columns, found: ${e.detail}`,
      { file, ...(dataRow > 0 ? { row: dataRow } : {}) },
      { cause: e },
    );
  }
  const first = records[0];
  if (!first) {
    throw new StanceError('INPUT_EMPTY', `${file} is empty; expected a header row and data rows`, {
      file,
    });
  }
  const header = first.cells.map((h) => h.trim());
  const rows: Located[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i] as CsvRecord;
    rows.push({ cells: r.cells, row: i, line: r.line });
  }
  return { header, rows };
}

function columnIndex(header: string[], name: string, file: string, required: true): number;
function columnIndex(header: string[], name: string, file: string, required: false): number | undefined;
function columnIndex(header: string[], name: string, file: string, required: boolean): number | undefined {
  let idx = header.indexOf(name);
  if (idx < 0) idx = header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  if (idx >= 0) return idx;
  if (!required) return undefined;
  throw new StanceError(
    'INPUT_FORMAT',
    `the header of ${basename(file)} has no ${name} column; found: ${header.join(', ') || '(nothing)'}`,
    { file, row: 0, field: name },
  );
}

function cell(r: Located, idx: number): string {
  return r.cells[idx] ?? '';
}

/** The error for a row whose Body ID cell is empty. */
function emptyBodyId(path: string, r: { row: number; line: number }): StanceError {
  return new StanceError('INPUT_EMPTY', `${where(path, r.row, r.line)} has an empty Body ID`, {
    file: path,
    row: r.row,
    field: 'Body ID',
  });
}

/**
 * Reads an FNC-1 bodies file (`Body ID,articleBody`).
 *
 * @throws StanceError INPUT_FORMAT (missing column, malformed row, duplicate Body ID),
 * INPUT_EMPTY (empty Body ID or body), plus the errors of reading the file.
 */
export async function readBodies(path: string, options: ReadDataOptions = {}): Promise<Bodies> {
  const text = await readInput(path, { maxBytes: options.maxBytes ?? DEFAULT_DATA_MAX_BYTES });
  const { header, rows } = parseCsv(text, path);
  const idCol = columnIndex(header, 'Body ID', path, true);
  const bodyCol = columnIndex(header, 'articleBody', path, true);
  const bodies: Bodies = new Map();
  for (const r of rows) {
    const id = cell(r, idCol).trim();
    const body = cell(r, bodyCol);
    if (id === '') throw emptyBodyId(path, r);
    if (body.trim() === '') {
      throw new StanceError(
        'INPUT_EMPTY',
        `${where(path, r.row, r.line)} has an empty articleBody for Body ID ${id}; expected the article text`,
        { file: path, row: r.row, field: 'articleBody' },
      );
    }
    if (bodies.has(id)) {
      throw new StanceError(
        'INPUT_FORMAT',
        `${where(path, r.row, r.line)} repeats Body ID ${id}; expected each Body ID once`,
        { file: path, row: r.row, field: 'Body ID' },
      );
    }
    bodies.set(id, body);
  }
  return bodies;
}

/**
 * Reads an FNC-1 stances file (`Headline,Body ID[,Stance]`), keeping the file's order.
 *
 * @throws StanceError INPUT_FORMAT (missing column, malformed row, bad Stance value),
 * INPUT_EMPTY (empty headline or Body ID), UNKNOWN_BODY_ID (when `bodies` is given).
 */
export async function readStances(path: string, options: ReadStancesOptions = {}): Promise<StanceRow[]> {
  const text = await readInput(path, { maxBytes: options.maxBytes ?? DEFAULT_DATA_MAX_BYTES });
  const { header, rows } = parseCsv(text, path);
  const mode = options.stance ?? 'optional';
  const hCol = columnIndex(header, 'Headline', path, true);
  const idCol = columnIndex(header, 'Body ID', path, true);
  const sCol =
    mode === 'ignore'
      ? undefined
      : mode === 'required'
        ? columnIndex(header, 'Stance', path, true)
        : columnIndex(header, 'Stance', path, false);
  const out: StanceRow[] = [];
  for (const r of rows) {
    const headline = cell(r, hCol);
    const bodyId = cell(r, idCol).trim();
    if (headline.trim() === '') {
      throw new StanceError('INPUT_EMPTY', `${where(path, r.row, r.line)} has an empty Headline`, {
        file: path,
        row: r.row,
        field: 'Headline',
      });
    }
    if (bodyId === '') throw emptyBodyId(path, r);
    if (options.bodies && !options.bodies.has(bodyId)) {
      throw new StanceError(
        'UNKNOWN_BODY_ID',
        `${where(path, r.row, r.line)} names Body ID ${bodyId}, which the bodies file does not have`,
        { file: path, row: r.row, field: 'Body ID' },
      );
    }
    const item: StanceRow = { headline, bodyId, row: r.row };
    if (sCol !== undefined) {
      const raw = cell(r, sCol).trim();
      const s = raw.toLowerCase();
      if (!isLabel(s)) {
        throw new StanceError(
          'INPUT_FORMAT',
          `${where(path, r.row, r.line)} has Stance "${raw}"; expected one of ${LABELS.join(', ')}`,
          { file: path, row: r.row, field: 'Stance' },
        );
      }
      item.stance = s;
    }
    out.push(item);
  }
  return out;
}

/**
 * The labelled pairs of a stances file (its Stance column required), as the trainer takes them.
 *
 * @throws StanceError as {@link readStances}.
 */
export async function readTrainingPairs(
  path: string,
  bodies: Bodies,
  options: ReadDataOptions = {},
): Promise<TrainingPair[]> {
  return toTrainingPairs(await readStances(path, { ...options, bodies, stance: 'required' }));
}

/** Stance rows read with their Stance column required, as training pairs. */
export function toTrainingPairs(rows: readonly StanceRow[]): TrainingPair[] {
  return rows.map((r) => ({ headline: r.headline, bodyId: r.bodyId, label: r.stance as Label }));
}

/**
 * Reads pairs from JSONL: one object per line, `{"headline", "body"}` or `{"headline", "bodyId"}`
 * (the latter needs `bodies`). Blank lines are skipped; rows are 1-based file lines.
 *
 * @throws StanceError INPUT_FORMAT (invalid JSON, wrong fields), INPUT_EMPTY, UNKNOWN_BODY_ID.
 */
export async function readPairsJsonl(
  path: string,
  options: ReadDataOptions & { bodies?: Bodies } = {},
): Promise<PairRow[]> {
  const text = await readInput(path, { maxBytes: options.maxBytes ?? DEFAULT_DATA_MAX_BYTES });
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: PairRow[] = [];
  const name = basename(path);
  lines.forEach((raw, i) => {
    const row = i + 1;
    const line = raw.trim();
    if (line === '') return;
    const at = `line ${row} of ${name}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new StanceError(
        'INPUT_FORMAT',
        `${at} is not valid JSON; expected one object per line, found: ${e instanceof Error ? e.message : String(e)}`,
        { file: path, row },
        { cause: e },
      );
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new StanceError(
        'INPUT_FORMAT',
        `${at} is not a JSON object; expected {"headline", "body"} or {"headline", "bodyId"}, found ${Array.isArray(obj) ? 'an array' : obj === null ? 'null' : typeof obj}`,
        { file: path, row },
      );
    }
    const o = obj as Record<string, unknown>;
    const found = Object.keys(o).join(', ') || '(no fields)';
    if (typeof o.headline !== 'string') {
      throw new StanceError(
        'INPUT_FORMAT',
        `${at} has no string "headline"; expected {"headline", "body"} or {"headline", "bodyId"}, found fields: ${found}`,
        { file: path, row, field: 'headline' },
      );
    }
    if (o.headline.trim() === '') {
      throw new StanceError('INPUT_EMPTY', `${at} has an empty "headline"`, {
        file: path,
        row,
        field: 'headline',
      });
    }
    const idRaw = o.bodyId ?? o['Body ID'];
    if (typeof o.body === 'string') {
      if (o.body.trim() === '') {
        throw new StanceError('INPUT_EMPTY', `${at} has an empty "body"`, {
          file: path,
          row,
          field: 'body',
        });
      }
      const pair: PairRow = { headline: o.headline, body: o.body, ownBody: true, row };
      if (typeof idRaw === 'string' || typeof idRaw === 'number') pair.bodyId = String(idRaw).trim();
      out.push(pair);
      return;
    }
    if (typeof idRaw === 'string' || typeof idRaw === 'number') {
      const bodyId = String(idRaw).trim();
      if (!options.bodies) {
        throw new StanceError(
          'USAGE',
          `${at} names bodyId ${bodyId}; expected a bodies file (--bodies) to look it up, found none`,
          { file: path, row, field: 'bodyId' },
        );
      }
      const body = options.bodies.get(bodyId);
      if (body === undefined) {
        throw new StanceError(
          'UNKNOWN_BODY_ID',
          `${at} names Body ID ${bodyId}, which the bodies file does not have`,
          { file: path, row, field: 'bodyId' },
        );
      }
      out.push({ headline: o.headline, bodyId, body, ownBody: false, row });
      return;
    }
    throw new StanceError(
      'INPUT_FORMAT',
      `${at} has neither a string "body" nor a "bodyId"; found fields: ${found}`,
      { file: path, row },
    );
  });
  return out;
}
