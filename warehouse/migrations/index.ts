import type { SqlRunner } from '../../core/sql';
import * as domainModel from './001_domain_model';
import * as insightsRollups from './002_insights_rollups';
import * as fxToUsd from './003_fx_to_usd';
import * as insightsCubes from './004_insights_cubes';
import * as apiKeys from './005_api_keys';
import * as generatedReports from './006_generated_reports';
import * as azureCustomerCube from './007_azure_customer_cube';
import * as staleRollups from './008_stale_rollups';
import * as ingestionJobs from './009_ingestion_jobs';
import * as syncRuns from './010_sync_runs';
import * as customerBudgets from './011_customer_budgets';
import * as competenciesBenefits from './012_competencies_benefits';
import * as businessProfile from './013_business_profile';
import * as userMfa from './014_user_mfa';
import * as partnerRelationships from './015_partner_relationships';
import * as usageBudgetSync from './017_usage_budget_sync';

interface Migration {
  version: number;
  name: string;
  up: string;
}

/** Migrations in order. Never edit one that has shipped: add the next version instead. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'domain model', up: domainModel.up },
  { version: 2, name: 'insights rollups', up: insightsRollups.up },
  { version: 3, name: 'rates to USD in both directions', up: fxToUsd.up },
  { version: 4, name: 'insights cubes', up: insightsCubes.up },
  { version: 5, name: 'api keys', up: apiKeys.up },
  { version: 6, name: 'generated reports', up: generatedReports.up },
  { version: 7, name: 'azure customer cube', up: azureCustomerCube.up },
  { version: 8, name: 'stale rollups', up: staleRollups.up },
  { version: 9, name: 'ingestion jobs', up: ingestionJobs.up },
  { version: 10, name: 'partner center syncs', up: syncRuns.up },
  { version: 11, name: 'customer budgets', up: customerBudgets.up },
  { version: 12, name: 'competencies and benefits', up: competenciesBenefits.up },
  { version: 13, name: 'business profile', up: businessProfile.up },
  { version: 14, name: 'user mfa registration', up: userMfa.up },
  { version: 15, name: 'partner relationships', up: partnerRelationships.up },
  { version: 17, name: 'usage budgets from partner center', up: usageBudgetSync.up },
];

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export async function applyMigrations(db: SqlRunner): Promise<number[]> {
  await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`);
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.run('BEGIN TRANSACTION');
    try {
      await db.run(m.up);
      await db.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      await db.run('COMMIT');
    } catch (err) {
      await db.run('ROLLBACK');
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}
