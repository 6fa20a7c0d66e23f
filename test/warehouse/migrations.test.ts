import { FILE_FORMATS, SQL_TYPE } from '../../etl/formats';
import { Warehouse } from '../../warehouse/db';
import { MIGRATIONS, applyMigrations } from '../../warehouse/migrations';

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

  it('has a column of the declared type for every column of every file format', async () => {
    const columns = await db.all<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns`,
    );
    const typeOf = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.data_type]));
    const mismatches: string[] = [];
    for (const format of FILE_FORMATS) {
      for (const c of [...format.columns, { column: 'load_id', type: 'BIGINT' as const }]) {
        const actual = typeOf.get(`${format.table}.${c.column}`);
        if (actual !== SQL_TYPE[c.type]) mismatches.push(`${format.name}: ${format.table}.${c.column} is ${actual}, format says ${SQL_TYPE[c.type]}`);
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
