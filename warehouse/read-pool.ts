import type { DuckDBConnection } from '@duckdb/node-api';
import { DomainError, isDomainError } from '../core/errors';

/**
 * What bounds the reads of one request (Warehouse.bound): when to stop them and whose turns they
 * take. Reads without bounds (background work: ingestion, syncs, report generation) run to the end.
 */
export interface ReadBounds {
  /** Aborted when the request's client goes or its time is up; its reason is what its reads then throw. */
  signal?: AbortSignal;
  /** Who asks (a token): at most `perCaller` statements of one caller run at once. */
  caller?: string;
  /**
   * When the request began (performance.now()): waiting statements take their turns oldest request
   * first, so a request's later statements do not queue again behind requests that came after it.
   * Without it, a statement's turn is its arrival.
   */
  since?: number;
}

export interface ReadPoolLimits {
  /** Connections, at most (PI_DB_READERS). */
  connections: number;
  /** Statements of one caller running at once, at most; 0: no limit (PI_MAX_CALLER_CONCURRENCY). */
  perCaller: number;
}

interface PooledConnection {
  ready: Promise<DuckDBConnection>;
  /** Set once `ready` resolves (close() needs it synchronously). */
  connection: DuckDBConnection | null;
  /** Running a statement (or opening for one): one at a time, so that interrupt() stops that one only. */
  busy: boolean;
}

/** A statement waiting for a connection. */
interface Turn {
  caller: string | undefined;
  /** Its request's start, or its own arrival: the order of the waiting list. */
  since: number;
  /** Writes take the first connection only (see Warehouse.run). */
  firstOnly: boolean;
  start(pooled: PooledConnection): void;
  fail(error: unknown): void;
}

/**
 * The warehouse's read connections. A DuckDB connection runs one statement at a time; the pool
 * sends it one at a time too, and keeps the others waiting here, oldest request first (a request
 * of five statements in turn would otherwise wait in the whole queue five times), rather than inside
 * DuckDB: each statement sent occupies one of libuv's few threads until it ends, which the
 * server's JWT checks (WebCrypto) and file I/O need as well; and a statement that waits here can be
 * dropped when its request ends, while a running one is interrupted on its connection.
 *
 * A caller running `perCaller` statements waits for one of them to end while others' statements
 * go first, so that one token cannot hold every connection.
 */
export class ReadPool {
  private readonly connections: PooledConnection[];
  private readonly waiting: Turn[] = [];
  private readonly runningByCaller = new Map<string, number>();
  /** One error per abort reason for the statements it stopped waiting (not one per statement: hundreds may wait). */
  private readonly waitedReasons = new WeakMap<object, unknown>();
  private closed = false;

  constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    first: DuckDBConnection,
    private readonly limits: ReadPoolLimits,
  ) {
    this.connections = [{ ready: Promise.resolve(first), connection: first, busy: false }];
  }

  /** Connections open (or opening). */
  get size(): number {
    return this.connections.length;
  }

  /** Statements running on a connection now, and waiting for one. */
  get statements(): { running: number; waiting: number } {
    return { running: this.connections.filter((c) => c.busy).length, waiting: this.waiting.length };
  }

  /**
   * Runs `statement` on a connection once one is free and the caller's turn has come; when
   * `bounds.signal` aborts, a waiting statement is dropped and a running one interrupted, and the
   * signal's reason is thrown.
   */
  async use<T>(bounds: ReadBounds, statement: (connection: DuckDBConnection) => Promise<T>, firstOnly = false): Promise<T> {
    const pooled = await this.turn(bounds, firstOnly);
    try {
      const connection = await pooled.ready;
      return await interruptible(connection, bounds.signal, () => statement(connection));
    } finally {
      this.release(pooled, bounds.caller);
    }
  }

  /** Refuses new statements, drops the waiting ones, closes idle connections (busy ones close when their statement ends). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const turn of this.waiting.splice(0)) turn.fail(closedError());
    for (const pooled of this.connections) if (!pooled.busy) pooled.connection?.closeSync();
  }

  private turn(bounds: ReadBounds, firstOnly: boolean): Promise<PooledConnection> {
    const { signal, caller } = bounds;
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(this.atCallerLimit(caller) ? this.waitedForCaller(signal!.reason) : signal!.reason);
      };
      const turn: Turn = {
        caller,
        since: bounds.since ?? performance.now(),
        firstOnly,
        start: (pooled) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(pooled);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(turn);
      this.dispatch();
    });
  }

  /** Into the waiting list after every turn of an older or as old request (the list stays in `since` order). */
  private enqueue(turn: Turn): void {
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1].since > turn.since) at--;
    this.waiting.splice(at, 0, turn);
  }

  /** Starts the waiting statements that can start, in order, skipping callers at their limit. */
  private dispatch(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const turn = this.waiting[i];
      const pooled = this.atCallerLimit(turn.caller) ? null : this.freeConnection(turn.firstOnly);
      if (!pooled) {
        // No connection for a read: none for the reads after it either (a write may still get the first).
        if (!this.atCallerLimit(turn.caller) && !turn.firstOnly) return;
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      pooled.busy = true;
      if (turn.caller !== undefined) this.runningByCaller.set(turn.caller, (this.runningByCaller.get(turn.caller) ?? 0) + 1);
      turn.start(pooled);
    }
  }

  /** A free connection: the first for a write; for a read any, or a new one while the pool may grow. */
  private freeConnection(firstOnly: boolean): PooledConnection | null {
    if (firstOnly) return this.connections[0].busy ? null : this.connections[0];
    return this.connections.find((c) => !c.busy) ?? (this.connections.length < this.limits.connections ? this.open() : null);
  }

  private open(): PooledConnection {
    const opened: PooledConnection = { ready: this.connect(), connection: null, busy: false };
    // A connection that could not be opened leaves the pool (its statement fails with the error).
    opened.ready.then(
      (c) => (opened.connection = c),
      () => this.connections.splice(this.connections.indexOf(opened), 1),
    );
    this.connections.push(opened);
    return opened;
  }

  private release(pooled: PooledConnection, caller: string | undefined): void {
    pooled.busy = false;
    if (caller !== undefined) {
      const running = this.runningByCaller.get(caller)! - 1;
      if (running === 0) this.runningByCaller.delete(caller);
      else this.runningByCaller.set(caller, running);
    }
    // A statement still running at close() keeps its connection open until it ends: closing a
    // connection under a running statement hangs or fails inside DuckDB (bad_weak_ptr).
    if (this.closed) pooled.connection?.closeSync();
    else this.dispatch();
  }

  /** The reason a statement stopped waiting, telling that it waited because its caller was at its limit. */
  private waitedForCaller(reason: unknown): unknown {
    if (!isDomainError(reason)) return reason;
    let told = this.waitedReasons.get(reason);
    if (!told) {
      const { perCaller } = this.limits;
      const why = `it was waiting for its turn: a caller runs at most ${perCaller} warehouse statements at once (PI_MAX_CALLER_CONCURRENCY)`;
      told = new DomainError(reason.code, `${reason.message}; ${why}`, { ...reason.details, callerConcurrency: perCaller });
      this.waitedReasons.set(reason, told);
    }
    return told;
  }

  private atCallerLimit(caller: string | undefined): boolean {
    return caller !== undefined && this.limits.perCaller > 0 && (this.runningByCaller.get(caller) ?? 0) >= this.limits.perCaller;
  }
}

/** Runs a statement on `connection`, interrupting it when `signal` aborts; then throws the signal's reason. */
async function interruptible<T>(connection: DuckDBConnection, signal: AbortSignal | undefined, statement: () => Promise<T>): Promise<T> {
  if (!signal) return statement();
  if (signal.aborted) throw signal.reason;
  const stopListening = interruptOnAbort(connection, signal);
  try {
    return await statement();
  } catch (err) {
    throw signal.aborted ? signal.reason : err;
  } finally {
    stopListening();
  }
}

/**
 * Interrupts what `connection` runs once `signal` aborts; call the returned function when the
 * statement has ended. An interrupt that lands while DuckDB is still preparing the statement is
 * lost (nothing runs yet to stop): it is repeated every 50 ms until then.
 */
export function interruptOnAbort(connection: DuckDBConnection, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  let repeat: NodeJS.Timeout | undefined;
  const interrupt = () => {
    connection.interrupt();
    repeat = setInterval(() => connection.interrupt(), INTERRUPT_REPEAT_MS);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  return () => {
    signal.removeEventListener('abort', interrupt);
    clearInterval(repeat);
  };
}

const INTERRUPT_REPEAT_MS = 50;

function closedError(): Error {
  return new Error('the warehouse is closed');
}
