import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The owner of a warehouse file. DuckDB lets one process open a database file for writing; the
 * serving process (`partner-insights start`, `serve` in gateway mode) is that process while it runs,
 * and says so in a small state file beside the database, `<db path>.owner.json` (mode 0600):
 *
 *   { "pid": 1234, "url": "http://127.0.0.1:4000", "secret": "<64 hex>", "startedAt": "...", "dbPath": "/abs/w.duckdb" }
 *
 * written once the server listens and removed when it shuts down. The CLI reads it (liveOwner) and,
 * when its process is alive, does its work through that server's routes, authenticated by the
 * secret (header x-pi-owner-secret): whoever may read the file may act on the database file anyway.
 * A file whose process is gone (a crash, kill -9) is stale: ignored, and replaced by the next owner.
 * Node fs only: the CLI reads it without loading DuckDB.
 */
export interface WarehouseOwner {
  /** The serving process. */
  pid: number;
  /** Its base URL, reachable from this host (http://127.0.0.1:<port> when it listens on every interface). */
  url: string;
  /** Random secret of this run: the operator credential of the local CLI. */
  secret: string;
  /** ISO time the server started listening. */
  startedAt: string;
  /** The warehouse file, absolute. */
  dbPath: string;
}

/** The owner file of a warehouse file: `<absolute db path>.owner.json`; null for an in-memory database. */
export function ownerFilePath(dbPath: string): string | null {
  if (!dbPath || dbPath === ':memory:') return null;
  return `${resolve(dbPath)}.owner.json`;
}

/** A new owner secret (32 random bytes, hex). */
export function newOwnerSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Whether a process with this pid exists (signal 0: nothing is sent). EPERM: it exists, as another user. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner file as written, or null when there is none or it is not one (unreadable, malformed). */
export function readOwnerFile(dbPath: string): WarehouseOwner | null {
  const file = ownerFilePath(dbPath);
  if (!file) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const o = parsed as Partial<WarehouseOwner> | null;
  if (!o || typeof o.pid !== 'number' || typeof o.url !== 'string' || typeof o.secret !== 'string' || !o.secret) return null;
  return { pid: o.pid, url: o.url, secret: o.secret, startedAt: String(o.startedAt ?? ''), dbPath: String(o.dbPath ?? resolve(dbPath)) };
}

/** The owner of the warehouse file when its process is alive; null when there is none or it is stale. */
export function liveOwner(dbPath: string): WarehouseOwner | null {
  const owner = readOwnerFile(dbPath);
  return owner && isProcessAlive(owner.pid) ? owner : null;
}

/**
 * Writes the owner file of `dbPath` for this process (atomically: a temporary file renamed over it,
 * created with mode 0600). A stale file is replaced; a live owner other than this process is an
 * error (it holds the database: this process could not have opened it). Returns what was written.
 */
export function writeOwnerFile(dbPath: string, owner: { url: string; secret: string; pid?: number; startedAt?: Date }): WarehouseOwner {
  const file = ownerFilePath(dbPath);
  if (!file) throw new Error('an in-memory warehouse has no owner file');
  const pid = owner.pid ?? process.pid;
  const current = liveOwner(dbPath);
  if (current && current.pid !== pid) {
    throw new Error(`the warehouse ${resolve(dbPath)} is served by process ${current.pid} at ${current.url} (owner file ${file})`);
  }
  const written: WarehouseOwner = {
    pid,
    url: owner.url,
    secret: owner.secret,
    startedAt: (owner.startedAt ?? new Date()).toISOString(),
    dbPath: resolve(dbPath),
  };
  const temporary = `${file}.${pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(written, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  return written;
}

/** Removes the owner file of `dbPath` if it is still the one with this secret (never another owner's). */
export function removeOwnerFile(dbPath: string, secret: string): void {
  const file = ownerFilePath(dbPath);
  if (!file) return;
  const current = readOwnerFile(dbPath);
  if (current && current.secret !== secret) return;
  rmSync(file, { force: true });
}

/**
 * DuckDB's refusal to open a file another process holds: `IO Error: Could not set lock on file
 * "<path>": Conflicting lock is held in <program> (PID <n>) by user <u>. ...`. Returns what it
 * says, or null when the error is not that one.
 */
export function lockConflictOf(error: unknown): { path: string | null; pid: number | null; program: string | null } | null {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (!/Could not set lock on file/i.test(message)) return null;
  const path = /Could not set lock on file "([^"]+)"/i.exec(message)?.[1] ?? null;
  const held = /Conflicting lock is held in (.+?) \(PID (\d+)\)/i.exec(message);
  return { path, pid: held ? Number(held[2]) : null, program: held ? held[1] : null };
}
