/**
 * The two corpus backends for one behaviour suite. SQLite gets a fresh file in a temp folder;
 * PostgreSQL a fresh database on the loopback server (STANCECHECK_TEST_POSTGRES, default
 * postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres). When PostgreSQL is unreachable its
 * tests skip with a visible message, unless STANCECHECK_REQUIRE_SERVICES=1 makes them fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_ADMIN_URL =
  process.env.STANCECHECK_TEST_POSTGRES ?? 'postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres';
export const REQUIRE_SERVICES = process.env.STANCECHECK_REQUIRE_SERVICES === '1';

let pgProbe: Promise<string | undefined> | undefined;

/** undefined when PostgreSQL answers; else why not. */
export function postgresUnavailable(): Promise<string | undefined> {
  pgProbe ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return pgProbe;
}

/** A database for one test: its --db string and a cleanup. */
export interface TestDb {
  db: string;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function freshSqlite(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'stancecheck-corpus-'));
  return {
    db: join(dir, 'corpus.db'),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function freshPostgres(): Promise<TestDb> {
  const name = `stancecheck_t_${process.pid}_${Date.now() % 1_000_000}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    db: u.toString(),
    cleanup: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<TestDb>;
  /** A reason to skip (printed), or undefined to run. Throws under STANCECHECK_REQUIRE_SERVICES=1. */
  skip(): Promise<string | undefined>;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', fresh: freshSqlite, skip: async () => undefined },
  {
    name: 'postgres',
    fresh: freshPostgres,
    skip: async () => {
      const why = await postgresUnavailable();
      if (why === undefined) return undefined;
      if (REQUIRE_SERVICES)
        throw new Error(
          `PostgreSQL is required (STANCECHECK_REQUIRE_SERVICES=1) but unreachable at ${PG_ADMIN_URL}: ${why}`,
        );
      const msg = `PostgreSQL not reachable at ${PG_ADMIN_URL} (${why}): skipping the PostgreSQL corpus tests`;
      process.stderr.write(`# SKIP ${msg}\n`);
      return msg;
    },
  },
];
