import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type EmbeddedMongo, startEmbeddedMongo } from '../../embedded-mongo';
import type { Caller } from '../../lib/auth/caller';
import { authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import type { SubgraphName } from '../../subgraphs/shared/subgraphDefinition';
import { staffOf } from '../support/actionsFixtures';
import { freePorts } from '../support/ports';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import {
  type GraphQLResponse,
  type RequestOptions,
  type TestGraph,
  TEST_ADMIN,
  dataOf,
  errorCodes,
  startTestGraph,
} from '../support/testGraph';

/**
 * A subgraph is no side door: it serves only what the gateway signed (HMAC over a timestamp and the exact body),
 * refusing anything else with 401 before a resolver runs; behind that it still enforces the gateway's limits
 * itself. No caller but an authenticated admin in development ever sees a stack trace or a file path. Under
 * `npm start` the subgraphs listen on loopback only.
 */

const SUBGRAPH_NAMES: readonly SubgraphName[] = ['housing', 'tenancy', 'actions', 'partners'];

const ALL_FOUR = '{ districts { id name actions { id } partners { id } requestStats { total } } }';
const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on District { id } } }';

/** What a stack trace or a file path looks like in a response. */
const INTERNALS = /stacktrace|node_modules|\.[cm]?[jt]s:\d+|\/(?:work|home|usr|srv|app)\//;

function nested(depth: number): string {
  let selection = 'id';
  for (let level = 2; level < depth; level += 1) selection = level % 2 === 1 ? `landlords { ${selection} }` : `districts { ${selection} }`;
  return `{ districts { ${selection} } }`;
}

function aliased(count: number): string {
  return `{ ${Array.from({ length: count }, (_, index) => `a${index}: districts { id }`).join(' ')} }`;
}

/**
 * Runs a describe block's graph as processes started with `variables` would run: the test graph reads its
 * settings from the environment (NODE_ENV, MAX_BODY_BYTES…), and libraries read NODE_ENV for their defaults.
 */
function withProcessEnv(variables: Record<string, string>): void {
  const original = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  beforeAll(() => {
    Object.assign(process.env, variables);
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(original)) {
      // process.env is a plain object of variables: removing a key is how a variable is unset.
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

const MAX_BODY_BYTES = 200 * 1024;

describe('straight at a subgraph', () => {
  let graph: TestGraph;
  let district: string;

  withProcessEnv({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerDistrict(graph, 'Le Mirail');
  });

  afterAll(() => graph.close());

  /** Sends `query` to `subgraph` as an admin; refused with 401 UNAUTHENTICATED before any database command. */
  async function expectRefusedUnread(subgraph: SubgraphName, options: Partial<RequestOptions>, query = '{ __typename }') {
    graph.resetCommands();
    const response = await graph.request(query, { caller: TEST_ADMIN, url: graph.subgraphUrls[subgraph], ...options });
    expect([response.status, errorCodes(response), response.data ?? null]).toEqual([401, ['UNAUTHENTICATED'], null]);
    expect(graph.commands.map((command) => command.commandName)).toEqual([]);
    return response;
  }

  it.each(SUBGRAPH_NAMES)('%s: an unsigned request is refused with 401, and nothing runs', async (subgraph) => {
    const response = await expectRefusedUnread(subgraph, { signature: 'none' }, `{ district(id: "${district}") { id } }`);
    expect(response.errors?.[0]?.message).toBe('This service answers only requests signed by the gateway.');
  });

  it('an unsigned mutation writes nothing', async () => {
    const before = await graph.db.collection(COLLECTIONS.landlords).countDocuments();
    await expectRefusedUnread(
      'housing',
      { signature: 'none' },
      'mutation { registerLandlord(input: { name: "Fantôme", family: OTHER }) { id } }',
    );
    expect(await graph.db.collection(COLLECTIONS.landlords).countDocuments()).toBe(before);
  });

  it('a request signed with another secret is refused', async () => {
    await expectRefusedUnread('housing', { signature: { secret: 'a-secret-of-my-own-that-is-long-enough-to-pass' } }, ALL_FOUR);
  });

  it('a body changed after signing is refused', async () => {
    const signed = JSON.stringify({ query: '{ __typename }' });
    await expectRefusedUnread('housing', { signature: { signedBody: signed } }, `{ district(id: "${district}") { name } }`);
  });

  it("a captured request replayed at once with another caller's token, or with none, is refused", async () => {
    const captured = `Bearer ${await graph.token({ role: 'COORDINATOR', sub: 'coordinator', districtIds: [district] })}`;
    await expectRefusedUnread('housing', { signature: { signedAuthorization: captured } }, `{ district(id: "${district}") { name } }`);
    await expectRefusedUnread('housing', { caller: null, signature: { signedAuthorization: captured } });
  });

  it('a captured request replayed later, or dated in the future, is refused', async () => {
    await expectRefusedUnread('housing', { signature: { signedAt: new Date(Date.now() - 5 * 60_000) } });
    await expectRefusedUnread('housing', { signature: { signedAt: new Date(Date.now() + 5 * 60_000) } });
  });

  it('a malformed signature, or a GraphQL GET, is refused', async () => {
    await expectRefusedUnread('housing', { signature: 'none', headers: { 'x-subgraph-signature': 't=1,v1=forged' } });
    const get = await fetch(`${graph.subgraphUrls.housing}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(401);
  });

  it('the health check stays open', async () => {
    const response = await fetch(new URL('/health', graph.subgraphUrls.housing));
    expect(response.status).toBe(200);
  });

  it('what the gateway signs is served, by every subgraph', async () => {
    graph.resetCommands();
    const response = await graph.request<{ districts: { id: string; requestStats: { total: number } }[] }>(ALL_FOUR, {
      caller: TEST_ADMIN,
    });
    expect(dataOf(response).districts).toEqual([
      expect.objectContaining({ id: district, actions: [], partners: [], requestStats: { total: 0 } }),
    ]);
    expect(graph.commands.length).toBeGreaterThan(0);
  });

  it('a signed request past the gateway is still held to the limits: 3,000 aliases, depth 50', async () => {
    graph.resetCommands();
    const aliases = await graph.request(aliased(3_000), { caller: TEST_ADMIN, url: graph.subgraphUrls.housing });
    expect([aliases.status, errorCodes(aliases)]).toEqual([400, ['TOO_MANY_ALIASES']]);
    const deep = await graph.request(nested(50), { caller: TEST_ADMIN, url: graph.subgraphUrls.housing });
    expect([deep.status, errorCodes(deep)]).toEqual([400, ['QUERY_TOO_DEEP']]);
    expect(graph.commands).toEqual([]);
    // Both sides of the limits, as the gateway has them by default.
    expect(dataOf(await graph.request(nested(12), { caller: TEST_ADMIN, url: graph.subgraphUrls.housing }))).toBeDefined();
  });

  it('at most 1,000 representations in one request', async () => {
    const representations = (count: number) => Array.from({ length: count }, () => ({ __typename: 'District', id: district }));
    graph.resetCommands();
    const refused = await graph.request(ENTITIES, {
      caller: TEST_ADMIN,
      url: graph.subgraphUrls.housing,
      variables: { representations: representations(1_001) },
    });
    expect([refused.status, errorCodes(refused), refused.data ?? null]).toEqual([400, ['TOO_MANY_REPRESENTATIONS'], null]);
    expect(graph.commands).toEqual([]);
    const twice = `query ($representations: [_Any!]!) { a: _entities(representations: $representations) { __typename } b: _entities(representations: $representations) { __typename } }`;
    const aliasedTwice = await graph.request(twice, {
      caller: TEST_ADMIN,
      url: graph.subgraphUrls.housing,
      variables: { representations: representations(600) },
    });
    expect(errorCodes(aliasedTwice)).toEqual(['TOO_MANY_REPRESENTATIONS']);

    const served = await graph.request<{ _entities: { id: string }[] }>(ENTITIES, {
      caller: TEST_ADMIN,
      url: graph.subgraphUrls.housing,
      variables: { representations: representations(1_000) },
    });
    expect(dataOf(served)._entities).toHaveLength(1_000);
  });

  it('a body over MAX_BODY_BYTES, signed, is refused with 413', async () => {
    const padding = 'x'.repeat(MAX_BODY_BYTES);
    const signed = await graph.request('{ __typename }', { caller: TEST_ADMIN, url: graph.subgraphUrls.housing, variables: { padding } });
    expect([signed.status, errorCodes(signed)]).toEqual([413, ['BAD_REQUEST']]);
  });
});

describe("with Apollo's own subgraph fetcher", () => {
  let graph: TestGraph;

  withProcessEnv({ SUBGRAPH_HTTP_CLIENT: 'apollo' });

  beforeAll(async () => {
    graph = await startTestGraph();
    await registerDistrict(graph, 'Empalot');
  });

  afterAll(() => graph.close());

  it('the gateway signs its calls all the same', async () => {
    const response = await graph.request<{ districts: { name: string }[] }>(ALL_FOUR, { caller: TEST_ADMIN });
    expect(dataOf(response).districts.map((district) => district.name)).toEqual(['Empalot']);
  });
});

/** A district whose name the database lost: reading it fails inside the subgraph, an internal error. */
async function brokenDistrict(graph: TestGraph): Promise<{ district: string; staff: Caller }> {
  const district = await registerDistrict(graph, 'Bellefontaine');
  const landlord = await registerLandlord(graph, 'Groupe des Chalets');
  await registerBuilding(graph, landlord, district, 'du Lot');
  await graph.db.collection<{ _id: string }>(COLLECTIONS.districts).updateOne({ _id: district }, { $unset: { name: '' } });
  return { district, staff: staffOf(landlord) };
}

describe('what an internal error shows, in development', () => {
  let graph: TestGraph;
  let district: string;
  let staff: Caller;

  withProcessEnv({ NODE_ENV: 'development' });

  beforeAll(async () => {
    graph = await startTestGraph({ nodeEnv: 'development' });
    ({ district, staff } = await brokenDistrict(graph));
  });

  afterAll(() => graph.close());

  const readBroken = () => `{ district(id: "${district}") { id name } }`;

  it('to an authenticated admin: the stack, with its file paths', async () => {
    const response = await graph.request(readBroken(), { caller: TEST_ADMIN });
    expect(response.errors).toMatchObject([
      {
        message: 'Cannot return null for non-nullable field District.name.',
        path: ['district', 'name'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: expect.arrayContaining([expect.stringMatching(/\.[cm]?[jt]s:\d+/)]) },
      },
    ]);
  });

  it('to staff: neither stack nor file path, through the gateway or straight at the subgraph', async () => {
    const throughGateway = await graph.request(readBroken(), { caller: staff });
    expect(throughGateway.errors).toMatchObject([{ path: ['district', 'name'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    const direct = await graph.request(readBroken(), { caller: staff, url: graph.subgraphUrls.housing });
    expect(direct.errors).toMatchObject([{ path: ['district', 'name'] }]);
    for (const response of [throughGateway, direct]) expect(JSON.stringify(response)).not.toMatch(INTERNALS);
  });

  it('to an anonymous caller: neither stack nor file path, signed or not, at the gateway or at a subgraph', async () => {
    const responses: GraphQLResponse[] = [
      await graph.request(readBroken(), { caller: null }),
      await graph.request(readBroken(), { caller: null, url: graph.subgraphUrls.housing }),
      await graph.request(readBroken(), { caller: null, url: graph.subgraphUrls.housing, signature: 'none' }),
    ];
    for (const response of responses) {
      expect([response.status, errorCodes(response)]).toEqual([401, ['UNAUTHENTICATED']]);
      expect(JSON.stringify(response)).not.toMatch(INTERNALS);
    }
  });
});

describe('what an internal error shows, in production', () => {
  let graph: TestGraph;
  let district: string;
  let staff: Caller;

  withProcessEnv({ NODE_ENV: 'production' });

  beforeAll(async () => {
    // Production refuses the development token secret.
    graph = await startTestGraph({
      nodeEnv: 'production',
      auth: authConfigFromEnv({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64url') }),
    });
    ({ district, staff } = await brokenDistrict(graph));
  });

  afterAll(() => graph.close());

  it.each([
    ['an admin', () => TEST_ADMIN],
    ['staff', () => staff],
  ])('to %s: the request id, nothing else', async (_, caller) => {
    const response = await graph.request(`{ district(id: "${district}") { id name } }`, { caller: caller() });
    expect(response.errors).toMatchObject([
      { message: expect.stringMatching(/^Internal error; quote request id /), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(response)).not.toMatch(INTERNALS);
  });
});

/** The addresses a TCP port is listened on, from the kernel's socket tables ('127.0.0.1', '0.0.0.0', '::'…). */
function listeningAddresses(port: number): string[] {
  const LISTEN = '0A';
  const rows = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const ipv4 = (hex: string) =>
    (hex.match(/../g) ?? [])
      .reverse()
      .map((byte) => parseInt(byte, 16))
      .join('.');
  const ipv6 = (hex: string) => (/^0+$/.test(hex) ? '::' : hex === '00000000000000000000000001000000' ? '::1' : hex);
  const listening = (file: string, format: (hex: string) => string) =>
    rows(file).flatMap(([, local, , state]) => {
      const [address, localPort] = (local ?? '').split(':');
      return state === LISTEN && localPort === portHex && address ? [format(address)] : [];
    });
  return [...listening('/proc/net/tcp', ipv4), ...listening('/proc/net/tcp6', ipv6)];
}

describe('npm start', () => {
  const ROOT = path.resolve(__dirname, '../..');
  let mongo: EmbeddedMongo;
  let launcher: ChildProcess | undefined;
  let exited: Promise<number | null>;
  const ports: Record<'gateway' | SubgraphName, number> = { gateway: 0, housing: 0, tenancy: 0, actions: 0, partners: 0 };

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    const names = Object.keys(ports) as (keyof typeof ports)[];
    for (const [index, port] of (await freePorts(names.length)).entries()) ports[names[index]!] = port;
    launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        // Asks for every interface: the gateway gets them, the subgraphs must not.
        HOST: '0.0.0.0',
        SUBGRAPH_SIGNING_SECRET: '',
        MONGODB_URI: mongo.uri,
        PORT: String(ports.gateway),
        HOUSING_PORT: String(ports.housing),
        TENANCY_PORT: String(ports.tenancy),
        ACTIONS_PORT: String(ports.actions),
        PARTNERS_PORT: String(ports.partners),
      },
      stdio: 'ignore',
    });
    exited = new Promise((resolve) => launcher?.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      const healthy = await fetch(`http://127.0.0.1:${ports.gateway}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('npm start did not bring the gateway up');
  }, 180_000);

  afterAll(async () => {
    launcher?.kill('SIGTERM');
    await exited;
    await mongo.stop();
  }, 60_000);

  it('binds the subgraphs to loopback, whatever HOST says, and the gateway where HOST says', () => {
    for (const subgraph of SUBGRAPH_NAMES) expect([subgraph, listeningAddresses(ports[subgraph])]).toEqual([subgraph, ['127.0.0.1']]);
    expect(listeningAddresses(ports.gateway)).toEqual(['0.0.0.0']);
  });

  it('gives the gateway and the subgraphs one secret: queries work, unsigned ones do not', async () => {
    const token = await signToken(TEST_ADMIN, authConfigFromEnv({ NODE_ENV: 'test' }), { expiresIn: '5m' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const body = JSON.stringify({ query: '{ districts { id actions { id } partners { id } } }' });
    const throughGateway = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, { method: 'POST', headers, body });
    const answer = (await throughGateway.json()) as { data?: { districts: { id: string }[] }; errors?: unknown[] };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.districts.map((district) => district.id)).toContain('district-grand-mirail');

    const direct = await fetch(`http://127.0.0.1:${ports.housing}/graphql`, { method: 'POST', headers, body });
    expect(direct.status).toBe(401);
  });
});
