/**
 * `--db` → a corpus store: a postgres:// URL opens PostgreSQL, anything else is a SQLite file path.
 * The default is $STANCECHECK_DB, else ./stancecheck.db.
 */
import type { CorpusStore } from '../../core/corpus/store.js';

/** The default database when no --db is given. */
export function defaultDb(): string {
  return process.env.STANCECHECK_DB !== undefined && process.env.STANCECHECK_DB !== ''
    ? process.env.STANCECHECK_DB
    : './stancecheck.db';
}

/** True when `db` names a PostgreSQL server rather than a file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens the store `db` names (backends are loaded lazily: only the one used is imported). */
export async function openStore(db: string = defaultDb()): Promise<CorpusStore> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(db);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(db);
}
