import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { supergraphCommand } from '../../cli/commands/supergraph';
import { tokenCommand } from '../../cli/commands/token';
import { authenticate } from '../../gateway/auth';
import { composeSupergraph } from '../../gateway/compose';
import { startServer, type RunningServer } from '../../gateway/server';
import { SUBGRAPHS } from '../../gateway/subgraphs';
import { statementCounter } from '../../warehouse/db';
import { notesSubgraph } from './fixtures/notes-subgraph';
import { P1, customerId, gql, startTestEnv, testAuth, token, type TestEnv } from './harness';

describe('supergraph composition', () => {
  it('composes the subgraphs with no errors and no hints', async () => {
    const { supergraphSdl, hints } = await composeSupergraph(SUBGRAPHS);
    if (hints.length) process.stdout.write(`composition hints:\n${hints.join('\n')}\n`);
    expect(hints).toEqual([]);
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/join/v0.');
    expect(supergraphSdl).toContain('ACCOUNTS @join__graph(name: "accounts", url: "http://localhost:4001/graphql")');
    // The nodes subgraph adds `implements Node` (Relay's node(id:)); accounts owns the entity.
    expect(supergraphSdl).toMatch(/type Customer implements Node\s+@join__implements\(graph: NODES, interface: "Node"\)\s+@join__type\(graph: ACCOUNTS, key: "id"\)/);
  });

  it('composes with a subgraph that extends Customer, without hints', async () => {
    const { supergraphSdl, hints } = await composeSupergraph([...SUBGRAPHS, notesSubgraph]);
    expect(hints).toEqual([]);
    expect(supergraphSdl).toMatch(/notes: \[String!\]! @join__field\(graph: NOTES\)/);
  });

  it('keeps a composition on disk by the subgraphs it composed: the same subgraphs read it, others compose, a damaged file is composed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-supergraph-cache-'));
    const before = process.env.PI_SUPERGRAPH_CACHE;
    process.env.PI_SUPERGRAPH_CACHE = dir;
    try {
      const first = await composeSupergraph(SUBGRAPHS);
      const kept = readdirSync(dir);
      expect(kept).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, kept[0]), 'utf8')).supergraphSdl).toBe(first.supergraphSdl);
      // What is kept is what is served: a marked copy comes back as it is.
      writeFileSync(join(dir, kept[0]), JSON.stringify({ supergraphSdl: `${first.supergraphSdl}\n# kept`, hints: [] }));
      expect((await composeSupergraph(SUBGRAPHS)).supergraphSdl).toBe(`${first.supergraphSdl}\n# kept`);
      // Other subgraphs, or other URLs, are another composition.
      const withNotes = await composeSupergraph([...SUBGRAPHS, notesSubgraph]);
      expect(withNotes.supergraphSdl).toMatch(/notes: \[String!\]!/);
      await composeSupergraph(SUBGRAPHS, { accounts: 'http://accounts.internal:4001/graphql' });
      expect(readdirSync(dir)).toHaveLength(3);
      // A damaged file: composed again and rewritten.
      writeFileSync(join(dir, kept[0]), '{"supergraphSdl":');
      expect((await composeSupergraph(SUBGRAPHS)).supergraphSdl).toBe(first.supergraphSdl);
      expect(JSON.parse(readFileSync(join(dir, kept[0]), 'utf8')).supergraphSdl).toBe(first.supergraphSdl);
    } finally {
      if (before === undefined) delete process.env.PI_SUPERGRAPH_CACHE;
      else process.env.PI_SUPERGRAPH_CACHE = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is written by `partner-insights supergraph --out`, with the subgraph URLs given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-supergraph-'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = join(dir, 'supergraph.graphql');
      expect(await supergraphCommand.run(['--out', out, '--url', 'accounts=http://accounts.internal:4001/graphql'])).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('url: "http://accounts.internal:4001/graphql"');
    } finally {
      stderr.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('`partner-insights token`', () => {
  it('mints a token the server accepts', async () => {
    const previous = process.env.PI_JWT_SECRET;
    process.env.PI_JWT_SECRET = 'test-secret-for-partner-insights';
    let printed = '';
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((printed += String(chunk)), true));
    try {
      const code = await tokenCommand.run(['--partner', P1, '--role', 'Report viewer', '--role', 'Sales agent', '--location', '1002', '--expires', '2h']);
      expect(code).toBe(0);
    } finally {
      stdout.mockRestore();
      if (previous === undefined) delete process.env.PI_JWT_SECRET;
      else process.env.PI_JWT_SECRET = previous;
    }
    expect(await authenticate(testAuth, `Bearer ${printed.trim()}`)).toMatchObject({
      partnerId: P1, roles: ['Report viewer', 'Sales agent'], locations: ['1002'],
    });
    // A usage mistake: exit 2 with the message on stderr (cli/exit-codes.ts), as for every command.
    let errors = '';
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((errors += String(chunk)), true));
    try {
      expect(await tokenCommand.run(['--partner', P1, '--role', 'Boss'])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(errors).toMatch(/unknown role\(s\) "Boss"; roles are: Global admin/);
  });
});

describe('entities across subgraphs', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ subgraphs: [...SUBGRAPHS, notesSubgraph] });
  });
  afterAll(() => env.close());

  it('resolves Customer references from another subgraph in one batched statement, scoped to the caller', async () => {
    const bearer = await token(P1, ['Global admin']);
    const before = statementCounter.total;
    const r = await gql(env.server.graphqlUrl, bearer, `{ recentNotes { text customer { id companyName notes location { country } } } }`);
    const statements = statementCounter.total - before;
    expect(r.body.errors).toBeUndefined();
    const notes = r.body.data.recentNotes;
    expect(notes).toHaveLength(6);
    expect(notes[0]).toEqual({
      text: 'note 0',
      customer: { id: customerId(P1, 0), companyName: 'Northwind Traders', notes: [`note on ${customerId(P1, 0)} for partner ${P1}`], location: { country: 'US' } },
    });
    // another partner's customer: the accounts subgraph does not resolve it
    expect(notes[5].customer).toBeNull();
    // one _entities batch for the six customers, one for their locations
    expect(statements).toBe(2);
  });

  it('answers FORBIDDEN for references to customers when the caller may not read customers', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Referrals admin']), `{ recentNotes { text customer { companyName } } }`);
    expect(r.body.data.recentNotes[0]).toEqual({ text: 'note 0', customer: null });
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['Admin agent']) });
  });

  it('shows no internals of an unexpected error outside development', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Global admin']), `{ brokenField partner { name } }`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ brokenField: null, partner: { name: 'Contoso Cloud Partner' } });
    expect(r.body.errors).toEqual([{ message: 'internal server error', path: ['brokenField'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(r.body)).not.toMatch(/hunter2|stack|at /);
  });
});

describe('subgraphs over HTTP', () => {
  let env: TestEnv;
  let gateway: RunningServer;
  beforeAll(async () => {
    env = await startTestEnv({ subgraph: 'accounts' });
    // The accounts subgraph alone, remote: the other subgraphs would need a warehouse in process.
    gateway = await startServer({ port: 0, host: '127.0.0.1', auth: testAuth, subgraphs: SUBGRAPHS.filter((s) => s.name === 'accounts'), subgraphUrls: { accounts: env.server.graphqlUrl } });
  });
  afterAll(async () => {
    await gateway.close();
    await env.close();
  });

  it('serves the gateway with no warehouse of its own, forwarding the token to the subgraph', async () => {
    const bearer = await token(P1, ['Report viewer'], { locations: ['1003'] });
    const r = await gql(gateway.graphqlUrl, bearer, `{ customers(first: 2) { totalCount edges { node { country } } } partner { users { email } } }`);
    expect(r.body.data.customers.totalCount).toBe(50);
    expect(r.body.data.customers.edges.map((e: any) => e.node.country)).toEqual(['CA', 'CA']);
    expect(r.body.data.partner.users).toEqual([]);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('keeps typed errors from the remote subgraph', async () => {
    const r = await gql(gateway.graphqlUrl, await token(P1, ['Report viewer']), `{ partner { users { email } } customer(id: "x") { id } }`);
    const codes = r.body.errors!.map((e) => e.extensions!.code).sort();
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND']);
    expect(r.body.errors!.find((e) => e.extensions!.code === 'FORBIDDEN')!.extensions!.requiredRoles).toContain('Executive report viewer');
  });
});
