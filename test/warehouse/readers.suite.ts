import { Warehouse } from '../../warehouse/db';

/** The read connection pool (warehouse/db.ts): concurrent reads spread over connections, all of them see committed writes. */
describe('warehouse read connections', () => {
  const saved = process.env.PI_DB_READERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PI_DB_READERS;
    else process.env.PI_DB_READERS = saved;
  });

  // Long enough (tens of ms) that the statements overlap; `expected(n)` is its count.
  const ROWS = 20_000_000;
  const slow = (n: number) => `SELECT ${n} AS n, count(*)::BIGINT AS c FROM range(${ROWS}) t(i) WHERE i % 7 = ${n}`;
  const expected = (n: number) => String(Math.ceil((ROWS - n) / 7));

  /** An in-memory warehouse with PI_DB_READERS = readers, closed after fn. */
  async function withWarehouse(readers: string, fn: (db: Warehouse) => Promise<void>): Promise<void> {
    process.env.PI_DB_READERS = readers;
    const db = await Warehouse.open(':memory:');
    try {
      await fn(db);
    } finally {
      db.close();
    }
  }

  it('opens more connections for concurrent reads, up to PI_DB_READERS, with every result right', () =>
    withWarehouse('3', async (db) => {
      expect(db.readConnections).toBe(1);
      await db.all('SELECT 1');
      await db.all('SELECT 2');
      expect(db.readConnections).toBe(1); // one after the other: one connection is enough
      const results = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => db.all<{ n: number; c: string }>(slow(n))));
      expect(results.map((r) => r[0].n)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(results.map((r) => r[0].c)).toEqual([0, 1, 2, 3, 4, 5].map(expected));
      expect(db.readConnections).toBe(3);
    }));

  it('every read connection sees what was just written on the write connection', () =>
    withWarehouse('3', async (db) => {
      await Promise.all([0, 1, 2].map((n) => db.all(slow(n))));
      expect(db.readConnections).toBe(3);
      await db.run('CREATE TABLE pool_probe (x INTEGER)');
      for (let i = 1; i <= 3; i++) {
        await db.run('INSERT INTO pool_probe VALUES ($1)', [i]);
        // Three concurrent reads land on the three connections; each sees all rows so far.
        const sums = await Promise.all([0, 1, 2].map(() => db.all<{ s: string }>('SELECT sum(x)::BIGINT AS s, (SELECT count(*) FROM range(5000000)) AS pad FROM pool_probe')));
        expect(sums.map((r) => r[0].s)).toEqual(Array(3).fill(String((i * (i + 1)) / 2)));
      }
    }));

  it('close() while statements run: they finish, their connections close after them; later statements are refused', () =>
    withWarehouse('3', async (db) => {
      const running = [0, 1, 2].map((n) => db.all<{ n: number; c: string }>(slow(n)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      db.close();
      const results = await Promise.allSettled(running);
      // Each either finished with the right count or was stopped with an error: never a crash.
      for (const [n, r] of results.entries()) {
        if (r.status === 'fulfilled') expect(r.value[0].c).toBe(expected(n));
        else expect(String(r.reason)).not.toMatch(/bad_weak_ptr/);
      }
      await expect(db.all('SELECT 1')).rejects.toThrow('the warehouse is closed');
      await expect(db.run('SELECT 1')).rejects.toThrow('the warehouse is closed');
      // withWarehouse closes it again: twice is harmless.
    }));

  it('waiting statements take their turns oldest request first, whatever order they came in', () =>
    withWarehouse('1', async (db) => {
      const finished: string[] = [];
      const busy = db.all(slow(0));
      // While the one connection is busy: a later request's statement comes first, then an earlier
      // request's (its second statement, say), then a statement of no request (its arrival is its age).
      const later = db.bound({ since: performance.now() + 1000 }).all(`SELECT 'later' AS who`).then(() => finished.push('later'));
      const earlier = db.bound({ since: performance.now() - 1000 }).all(`SELECT 'earlier' AS who`).then(() => finished.push('earlier'));
      const background = db.all(`SELECT 'background' AS who`).then(() => finished.push('background'));
      await Promise.all([busy, later, earlier, background]);
      expect(finished).toEqual(['earlier', 'background', 'later']);
    }));

  it('PI_DB_READERS=1 keeps one connection; a bad value is refused naming the variable', async () => {
    await withWarehouse('1', async (db) => {
      await Promise.all([0, 1, 2].map((n) => db.all(slow(n))));
      expect(db.readConnections).toBe(1);
    });
    process.env.PI_DB_READERS = '0';
    await expect(Warehouse.open(':memory:')).rejects.toThrow(/PI_DB_READERS must be a whole number of at least 1, got "0"/);
  });
});
