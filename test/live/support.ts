import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A real graphql-ws client over a real websocket (ws) to a test server's /graphql, and a
 * subscription that records what it receives.
 */
export function wsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

export interface Closed {
  code: number;
  reason: string;
}

export interface LiveClient {
  client: Client;
  /** Resolves when the server closed the connection (the client never retries). */
  closed: Promise<Closed>;
  /** Resolves when the server acknowledged connection_init. */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

/** Connects at once (not lazily): `closed` tells a refusal, `connected` an acceptance. */
export function connect(graphqlUrl: string, token: string | null, options: { params?: Record<string, unknown>; headers?: Record<string, string> } = {}): LiveClient {
  let onClosed!: (closed: Closed) => void;
  let onConnected!: () => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const headers = options.headers;
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, headers ? { headers } : undefined);
    }
  }
  const client = createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: headers ? HeaderSocket : WebSocket,
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    connectionParams: options.params ?? (token ? { authorization: `Bearer ${token}` } : {}),
    on: {
      connected: () => onConnected(),
      closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }),
    },
  });
  return { client, closed, connected, dispose: () => client.dispose() as Promise<void> };
}

export interface Recorded<T = any> {
  /** Data payloads received, in order. */
  events: T[];
  /** Errors received (an error message, or a result's errors). */
  errors: any[];
  completed: boolean;
  /** Resolves with the first event (seen or to come) that matches, or rejects after timeoutMs. */
  next(match?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves with the first error, or rejects after timeoutMs. */
  error(timeoutMs?: number): Promise<any>;
  /** Resolves when the subscription completed. */
  done: Promise<void>;
  stop(): void;
}

/** Subscribes and records; the payload's `data` has one root field, whose value is recorded. */
export function record<T = any>(live: LiveClient, query: string, variables?: Record<string, unknown>): Recorded<T> {
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  let onDone!: () => void;
  const recorded: Recorded<T> = {
    events: [],
    errors: [],
    completed: false,
    done: new Promise<void>((resolve) => (onDone = resolve)),
    next: (match = () => true, timeoutMs = 20_000) => waitFor(() => recorded.events.find(match), timeoutMs, 'an event'),
    error: (timeoutMs = 10_000) => waitFor(() => recorded.errors[0], timeoutMs, 'an error'),
    stop: () => undefined,
  };
  function waitFor<V>(find: () => V | undefined, timeoutMs: number, what: string): Promise<V> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; events: ${JSON.stringify(recorded.events)}; errors: ${JSON.stringify(recorded.errors)}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }
  recorded.stop = live.client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) recorded.errors.push(...result.errors);
        if (result.data) recorded.events.push(Object.values(result.data)[0]);
        wake();
      },
      error: (err) => {
        recorded.errors.push(...(Array.isArray(err) ? err : [err]));
        wake();
      },
      complete: () => {
        recorded.completed = true;
        onDone();
        wake();
      },
    },
  );
  return recorded;
}

/** Waits until `check` holds (polling), or fails with what it last saw. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'the condition', seen?: () => unknown): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms${seen ? `: ${JSON.stringify(seen())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Lets events that were going to arrive arrive (to check that some did not). */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
