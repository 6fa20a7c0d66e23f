import { ACCEPTED_FORMATS } from '../../etl/formats';
import { tableColumnTypes } from '../../etl/load/columns';
import { Warehouse } from '../../warehouse/db';
import { MIGRATIONS, applyMigrations } from '../../warehouse/migrations';

/** The types file columns are declared as in the migrations: money and quantities DECIMAL(18,6), never floating point. */
const LOADED_TYPE = /^(VARCHAR|INTEGER|BIGINT|DECIMAL\(18,6\)|DATE|TIMESTAMP|BOOLEAN)$/;

describe('warehouse migrations', () => {
  let db: Warehouse;
  beforeAll(async () => {
    db = await Warehouse.open(':memory:');
  });
  afterAll(() => db.close());

  it('records every migration once and re-applies nothing on a second open', async () => {
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await applyMigrations(db)).toEqual([]);
  });

  it('has a column of a type the loader reads for every column of every file format', async () => {
    const mismatches: string[] = [];
    for (const format of ACCEPTED_FORMATS) {
      const types = await tableColumnTypes(db, format.table);
      for (const c of [...format.columns, { column: 'load_id' }]) {
        const actual = types.get(c.column);
        if (!actual || !LOADED_TYPE.test(actual)) mismatches.push(`${format.name}: ${format.table}.${c.column} is ${actual}, not a type files are loaded as`);
        else if ('quantity' in c && c.quantity && !actual.startsWith('DECIMAL')) mismatches.push(`${format.name}: ${format.table}.${c.column} is a quantity but ${actual}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives every table but the migration log a partner column (the tenant)', async () => {
    const tables = await db.all<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE table_name NOT IN ('schema_migrations', 'etl_loads', 'etl_quarantine')
       EXCEPT SELECT table_name FROM information_schema.columns WHERE column_name = 'partner_id'`,
    );
    expect(tables).toEqual([]);
  });
});
