import { gql, type GqlResponse } from '../gateway/harness';
import { describeLeaks, leaksInJson, leaksInTable, type Leak } from './oracle';
import { callerView, visibleTo, type CallerView } from './ownership';
import { KEY_ONLY_ENTITIES, type CountedList, type Generated, type Operation, type Representation } from './operations';
import type { World } from './world';

/**
 * Runs one generated operation and judges it: `failures` are isolation failures only (a row of
 * another partner or location came back, or a mutation on an id out of reach was not refused or
 * changed data); `ownRows` and `codes` feed the coverage check that keeps the fuzz honest.
 */
export interface Outcome {
  failures: string[];
  /** Whether anything of the caller's own came back (the operation exercised real data). */
  ownRows: boolean;
  /** Error codes (GraphQL) or HTTP statuses seen. */
  codes: string[];
}

export async function execute(world: World, { caller, operation }: Generated): Promise<Outcome> {
  const view = callerView(world.ownership.partner(caller.partnerId), caller.locations);
  const bearer = await world.bearer(caller);
  switch (operation.kind) {
    case 'query': {
      const response = await gql(world.urls[operation.endpoint], bearer, operation.query, operation.variables);
      const outcome = judgeJson(world, view, response, echoOf(operation));
      if (operation.counts) outcome.failures.push(...countBeyondReach(world, view, response, operation.counts));
      return outcome;
    }
    case 'entities': {
      const response = await gql(world.urls[operation.endpoint], bearer, operation.query, operation.variables);
      maskEchoedKeys(response, operation.endpoint, operation.variables.representations);
      return judgeJson(world, view, response, echoOf(operation));
    }
    case 'mutation':
      return judgeMutation(world, view, operation, await gql(world.urls.gateway, bearer, operation.query, operation.variables));
    case 'export':
      return judgeFile(world, view, await get(`${world.baseUrl}${operation.path}`, bearer), echoOf(operation));
    case 'download': {
      const outcome = judgeFile(world, view, await get(`${world.baseUrl}/downloads/${operation.id}`, bearer), echoOf(operation));
      const owner = world.ownership.owner(operation.id);
      if (outcome.codes.includes('200') && owner && !visibleTo(owner, view)) outcome.failures.push(`downloaded report ${operation.id}, out of the caller's reach`);
      return outcome;
    }
  }
}

/** The ids an operation sent: they may come back in error messages ("no subscription <id>"). */
function echoOf(operation: Operation): Set<string> {
  const values = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'string') v.split(/[\/?&=,.]/).forEach((part) => values.add(decodeURIComponent(part)));
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(operation.kind === 'export' ? operation.path : operation.kind === 'download' ? operation.id : operation.variables);
  return values;
}

/**
 * Entities a subgraph resolves from their key alone (it only adds scoped fields to them) return
 * the key the caller sent: not a row of the warehouse. Their key is masked; their fields are judged.
 */
function maskEchoedKeys(response: GqlResponse, endpoint: string, representations: Representation[]): void {
  const entities: unknown[] | undefined = response.body.data?._entities;
  if (!entities) return;
  entities.forEach((entity, i) => {
    const rep = representations[i];
    if (!entity || !rep || !(KEY_ONLY_ENTITIES[endpoint] ?? []).includes(rep.__typename)) return;
    for (const [key, value] of Object.entries(rep)) {
      if (key !== '__typename' && (entity as Record<string, unknown>)[key] === value) (entity as Record<string, unknown>)[key] = '(key as sent)';
    }
  });
}

function judgeJson(world: World, view: CallerView, response: GqlResponse, echoed: Set<string>): Outcome {
  const leaks = leaksInJson(response.body, view, world.ownership, echoed);
  return {
    failures: leaks.length ? [describeLeaks(leaks)] : [],
    ownRows: hasOwnIds(response.body.data, view, world),
    codes: codesOf(response),
  };
}

/** A totalCount above the rows the caller may see counts someone else's. */
export function countBeyondReach(world: World, view: CallerView, response: GqlResponse, { field, kind }: CountedList): string[] {
  const total = response.body.data?.[field]?.totalCount;
  if (typeof total !== 'number') return [];
  const visible = world.partners.flatMap((p) => world.ownership.valuesOf(p.id, kind)).filter((id) => visibleTo(world.ownership.owner(id)!, view)).length;
  return total > visible ? [`${field}.totalCount is ${total}, but the caller may see ${visible} ${kind} rows`] : [];
}

function codesOf(response: GqlResponse): string[] {
  return [...new Set((response.body.errors ?? []).map((e) => String(e.extensions?.code ?? `HTTP ${response.status}`)))];
}

/** Refused with one of the expected codes and nothing returned (unchangedWarehouse checks the tables). */
function judgeMutation(world: World, view: CallerView, operation: Extract<Operation, { kind: 'mutation' }>, response: GqlResponse): Outcome {
  const failures: string[] = [];
  const codes = codesOf(response);
  const refused = codes.length > 0 && codes.every((c) => operation.refusals.includes(c));
  if (!refused) failures.push(`not refused as ${operation.refusals.join('/')}: ${JSON.stringify(response.body).slice(0, 600)}`);
  if (response.body.data?.[operation.field] != null) failures.push(`returned ${JSON.stringify(response.body.data[operation.field])}`);
  const leaks = leaksInJson(response.body, view, world.ownership, echoOf(operation));
  if (leaks.length) failures.push(describeLeaks(leaks));
  return { failures, ownRows: false, codes };
}

/**
 * Null when the mutable tables are as they were before the run (nothing the fuzz sends may write),
 * else the tables that changed. Taken after each batch holding a mutation: a checksum costs more
 * than most operations.
 */
export async function unchangedWarehouse(world: World, baseline: string): Promise<string | null> {
  const after = await world.checksum();
  if (after === baseline) return null;
  const before = JSON.parse(baseline) as { t: string }[];
  const changed = (JSON.parse(after) as { t: string }[]).filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i]));
  return `the warehouse changed: ${changed.map((row) => row.t).join(', ')}`;
}

async function get(url: string, bearer: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** A file (200, tab-separated) or an error body (JSON). */
function judgeFile(world: World, view: CallerView, response: { status: number; type: string; text: string }, echoed: Set<string>): Outcome {
  const codes = [String(response.status)];
  if (response.status === 200 && !response.type.includes('json')) {
    const leaks = leaksInTable(response.text, view, world.ownership);
    const own = response.text.split(/[\t\r\n]/).some((cell) => isOwn(cell, view, world));
    return { failures: leaks.length ? [describeLeaks(leaks)] : [], ownRows: own, codes };
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = response.text;
  }
  // An error body is judged like GraphQL errors: the ids of the URL may come back in its message.
  const leaks: Leak[] = leaksInJson({ errors: [body] }, view, world.ownership, echoed);
  return { failures: leaks.length ? [describeLeaks(leaks)] : [], ownRows: false, codes };
}

function isOwn(value: string, view: CallerView, world: World): boolean {
  const owner = world.ownership.owner(value);
  return Boolean(owner && owner.kinds[0] !== 'partner' && visibleTo(owner, view));
}

function hasOwnIds(data: unknown, view: CallerView, world: World): boolean {
  if (typeof data === 'string') return data !== '(key as sent)' && isOwn(data, view, world);
  if (Array.isArray(data)) return data.some((d) => hasOwnIds(d, view, world));
  if (data && typeof data === 'object') return Object.values(data).some((d) => hasOwnIds(d, view, world));
  return false;
}
