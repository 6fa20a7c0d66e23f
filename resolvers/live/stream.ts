/**
 * An AsyncIterator (what a GraphQL subscription returns) over events a listener receives:
 * `listen(push)` subscribes and returns the function that unsubscribes. The listener is removed
 * when the subscription ends: the client completes it, its connection closes, or the server
 * closes (graphql-ws calls return() in each case).
 *
 * A client that reads slower than events come keeps at most `maxQueued` of them: the oldest are
 * dropped, so one stalled subscriber cannot hold the server's memory.
 */
export function eventStream<T>(listen: (push: (value: T) => void) => () => void, maxQueued = 1000): AsyncIterableIterator<T> {
  const queued: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;
  const unsubscribe = listen((value) => {
    if (done) return;
    if (waiting) {
      const wake = waiting;
      waiting = null;
      wake({ value, done: false });
      return;
    }
    queued.push(value);
    if (queued.length > maxQueued) queued.shift();
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      unsubscribe();
      queued.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next(): Promise<IteratorResult<T>> {
      if (queued.length) return Promise.resolve({ value: queued.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw(error?: unknown): Promise<IteratorResult<T>> {
      void finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
