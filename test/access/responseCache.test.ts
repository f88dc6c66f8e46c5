import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gatewayConfigFromEnv } from '../../gateway/config';
import { RESPONSE_CACHE_HEADER } from '../../gateway/plugins/responseCache';
import { startGateway } from '../../gateway/startGateway';
import type { Caller } from '../../lib/auth/caller';
import { signatureFor, SUBGRAPH_SIGNATURE_HEADER, subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import type { RunningService } from '../../lib/http/serveGraphQL';
import { type AccessWorld, ROLES, type RoleName, type Variables, leaksIn, seedAccessWorld } from '../support/accessFixtures';
import { actionAfter, coordinatorOf } from '../support/actionsFixtures';
import { registerBuilding } from '../support/housingFixtures';
import { openServiceRequest } from '../support/tenancyFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';

/**
 * The response cache (RESPONSE_CACHE=on) never gives one caller an answer computed for a caller the access rule
 * treats otherwise: every one of the eight callers of the access matrix asks the same operations (aliases,
 * variables, fragments), and each one's first answer must be computed for it (a miss), its second be its own first
 * one (a hit, unless the first had errors, which are never stored), and none may show what the role may not read.
 * A write through the graph, through this gateway, another gateway host or straight to a subgraph, is never followed
 * by an answer from before it; what a write cannot change stays cached.
 */

interface CachedResponse<TData> extends GraphQLResponse<TData> {
  outcome: string | null;
}

type Ids = { id: string }[];
type StatsOf<TParent extends string> = Record<TParent, { requestStats: { disclosure: string; total: number | null } }>;

const CACHE_ENV = { RESPONSE_CACHE: 'on', RESPONSE_CACHE_TTL_MS: '600000' };

let graph: TestGraph;
let world: AccessWorld;
/** A second gateway host in front of the same subgraphs, as behind a load balancer: a cache of its own. */
let otherHost: RunningService;

beforeAll(async () => {
  graph = await startTestGraph({ gatewayEnv: CACHE_ENV });
  world = await seedAccessWorld(graph);
  otherHost = await startGateway({
    port: 0,
    host: '127.0.0.1',
    supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
    subgraphUrls: graph.subgraphUrls,
    signing: subgraphSigningFromEnv({ SUBGRAPH_SIGNING_SECRET: graph.signingSecret }),
    config: gatewayConfigFromEnv({ ...process.env, ...CACHE_ENV }),
  });
}, 120_000);

afterAll(async () => {
  await otherHost.close();
  await graph.close();
});

/** Sends `query` through the gateway (or `gatewayUrl`) as `caller`, with the cache's outcome (`hit`, `miss`, `bypass`). */
async function ask<TData = unknown>(
  caller: Caller,
  query: string,
  variables: Variables = {},
  gatewayUrl = graph.gatewayUrl,
): Promise<CachedResponse<TData>> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token(caller)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body, outcome: response.headers.get(RESPONSE_CACHE_HEADER) };
}

/** Shared reads whose answers differ by caller: small cells, a landlord's own figures, each one's district scope. */
const SHARED_READS: readonly { name: string; query: string; variables: (world: AccessWorld) => Variables }[] = [
  {
    name: 'a district dashboard, aliased, with variables',
    query: `query Dashboard($district: ID!, $first: Int) {
      here: district(id: $district) {
        name
        figures: requestStats { disclosure total open }
        buildings(first: $first) { nodes { id landlord { id } requestStats { disclosure total } } }
        actions { id title status organisers { id } }
        partners { id name }
      }
    }`,
    variables: (world) => ({ district: world.mirail, first: 10 }),
  },
  {
    name: "a landlord's building, through a fragment",
    query: `query ($id: ID!) { building(id: $id) { ...Card } }
      fragment Card on Building { id requestStats { disclosure total open } actions { title } }`,
    variables: (world) => ({ id: world.buildings.owner }),
  },
  {
    name: 'what each caller may see of the graph',
    query: '{ districts { id name } landlords { id name } partners { id name } }',
    variables: () => ({}),
  },
];

describe.each(SHARED_READS)('$name, asked by each caller twice', ({ query, variables }) => {
  it('is computed for each caller, then served to it alone, and never shows what it may not read', async () => {
    const first = new Map<RoleName, CachedResponse<unknown>>();
    for (const role of ROLES) first.set(role, await ask(world.callers[role], query, variables(world)));
    for (const role of ROLES) {
      const again = await ask(world.callers[role], query, variables(world));
      const computed = first.get(role)!;
      expect({ role, outcome: computed.outcome }).toEqual({ role, outcome: 'miss' });
      expect({ role, outcome: again.outcome }).toEqual({ role, outcome: computed.errors?.length ? 'miss' : 'hit' });
      expect({ role, answer: again.data }).toEqual({ role, answer: computed.data });
      expect({ role, leaks: leaksIn(again, role) }).toEqual({ role, leaks: [] });
    }
    // The callers' answers differ, so that one served to the wrong caller would show.
    expect(new Set([...first.values()].map((response) => JSON.stringify(response.data))).size).toBeGreaterThan(2);
  });
});

describe('sharing scope', () => {
  const query = 'query ($id: ID!) { building(id: $id) { id requestStats { disclosure total open } } }';

  it("is the landlord's for its staff: a colleague gets the answer, another landlord's staff its own", async () => {
    const owner = world.callers.OWNER_STAFF as Extract<Caller, { role: 'LANDLORD_STAFF' }>;
    const mine = await ask<StatsOf<'building'>>(owner, query, { id: world.buildings.owner });
    const colleague = await ask<StatsOf<'building'>>({ ...owner, sub: 'a-colleague' }, query, { id: world.buildings.owner });
    expect(colleague.outcome).toBe('hit');
    expect(colleague.data).toEqual(mine.data);
    expect(mine.data?.building.requestStats.disclosure).toBe('EXACT');

    const neighbour = await ask<StatsOf<'building'>>(world.callers.NEIGHBOUR_STAFF, query, { id: world.buildings.owner });
    expect(neighbour.outcome).not.toBe('hit');
    expect(neighbour.data?.building.requestStats.disclosure).not.toBe('EXACT');
  });

  it("is the token's list of districts for a coordinator: one of two districts shares nothing with one of one", async () => {
    const single = await ask(coordinatorOf(world.mirail), query, { id: world.buildings.owner });
    const both = await ask(coordinatorOf(world.mirail, world.bellefontaine), query, { id: world.buildings.owner });
    expect([single.outcome, both.outcome]).toEqual(['miss', 'miss']);
  });
});

describe('what is never cached', () => {
  it('an operation reading private data (a household), even for its landlord', async () => {
    const query = 'query ($id: ID!) { household(id: $id) { id } }';
    for (let round = 0; round < 2; round += 1) {
      expect((await ask(world.callers.OWNER_STAFF, query, { id: world.households.owner })).outcome).toBe('bypass');
    }
  });

  it('an answer with an error (a read refused)', async () => {
    const query = 'query ($id: ID!) { tfpbDistrictTable(districtId: $id, year: 2025) { totalPlannedCents } }';
    for (let round = 0; round < 2; round += 1) {
      const response = await ask(world.callers.PARTNER, query, { id: world.mirail });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.outcome).toBe('miss');
    }
  });
});

describe('a write through the gateway', () => {
  const actionsQuery = 'query ($id: ID!) { district(id: $id) { actions { title } } }';
  const statsQuery = 'query ($id: ID!) { district(id: $id) { requestStats { total } } }';
  const nameQuery = 'query ($id: ID!) { district(id: $id) { name } }';

  async function cached<TData>(caller: Caller, query: string, variables: Variables): Promise<TData> {
    await ask(caller, query, variables);
    const again = await ask<TData>(caller, query, variables);
    expect(again.outcome).toBe('hit');
    return dataOf(again);
  }

  it('drops the answers read from the subgraph it wrote in, before it answers', async () => {
    const coordinator = world.callers.COORDINATOR;
    await cached(coordinator, actionsQuery, { id: world.mirail });
    const before = (await cached<StatsOf<'district'>>(TEST_ADMIN, statsQuery, { id: world.mirail })).district.requestStats.total ?? 0;
    await cached(coordinator, nameQuery, { id: world.mirail });

    await actionAfter(graph, 'proposeAction', world.callers.OWNER_STAFF, {
      input: { districtId: world.mirail, title: 'Balade urbaine', kind: 'SOCIAL_EVENT' },
    });
    const actions = await ask<{ district: { actions: { title: string }[] } }>(coordinator, actionsQuery, { id: world.mirail });
    expect(actions.outcome).toBe('miss');
    expect(dataOf(actions).district.actions.map((action) => action.title)).toContain('Balade urbaine');
    // An action changes no request statistics, and a district's name comes from housing alone.
    expect((await ask(TEST_ADMIN, statsQuery, { id: world.mirail })).outcome).toBe('hit');
    expect((await ask(coordinator, nameQuery, { id: world.mirail })).outcome).toBe('hit');

    dataOf(await openServiceRequest(graph, world.callers.OWNER_STAFF, { buildingId: world.buildings.owner, category: 'PESTS' }));
    const stats = await ask<StatsOf<'district'>>(TEST_ADMIN, statsQuery, { id: world.mirail });
    expect(stats.outcome).toBe('miss');
    expect(dataOf(stats).district.requestStats.total).toBe(before + 1);
    expect((await ask(coordinator, nameQuery, { id: world.mirail })).outcome).toBe('hit');
  });

  it("in housing drops every answer: a landlord's district scope is housing's data", async () => {
    const outsider = world.callers.OUTSIDER_STAFF;
    const districtsQuery = '{ districts { id } }';
    const before = await cached<{ districts: Ids }>(outsider, districtsQuery, {});
    expect(before.districts.map((district) => district.id)).toEqual([world.bellefontaine]);
    await cached(world.callers.COORDINATOR, nameQuery, { id: world.mirail });

    await registerBuilding(graph, world.landlords.outsider, world.mirail, 'de la Cache');
    const after = await ask<{ districts: Ids }>(outsider, districtsQuery);
    expect(after.outcome).toBe('miss');
    expect(
      dataOf(after)
        .districts.map((district) => district.id)
        .sort(),
    ).toEqual([world.bellefontaine, world.mirail].sort());
    expect((await ask(world.callers.COORDINATOR, nameQuery, { id: world.mirail })).outcome).toBe('miss');
  });
});

describe('a write past this gateway', () => {
  const actionsQuery = 'query ($id: ID!) { district(id: $id) { actions { title } } }';
  const titlesIn = (response: CachedResponse<{ district: { actions: { title: string }[] } }>) =>
    dataOf(response).district.actions.map((action) => action.title);
  const proposal = (title: string) => ({ input: { districtId: world.mirail, title, kind: 'SOCIAL_EVENT' } });

  it('through another gateway host is never followed by an answer from before it, on either host', async () => {
    const coordinator = world.callers.COORDINATOR;
    for (const url of [graph.gatewayUrl, otherHost.url]) await ask(coordinator, actionsQuery, { id: world.mirail }, url);
    expect((await ask(coordinator, actionsQuery, { id: world.mirail })).outcome).toBe('hit');

    const mutation = 'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }';
    const proposed = await graph.request(mutation, {
      caller: world.callers.OWNER_STAFF,
      variables: proposal('Jardin partagé'),
      url: otherHost.url,
    });
    expect(proposed.errors).toBeUndefined();

    for (const url of [graph.gatewayUrl, otherHost.url]) {
      const after = await ask<{ district: { actions: { title: string }[] } }>(coordinator, actionsQuery, { id: world.mirail }, url);
      expect(after.outcome).toBe('miss');
      expect(titlesIn(after)).toContain('Jardin partagé');
    }
  });

  it('straight to a subgraph, signed as the gateway signs, is never followed by an answer from before it', async () => {
    const coordinator = world.callers.COORDINATOR;
    await ask(coordinator, actionsQuery, { id: world.mirail });
    expect((await ask(coordinator, actionsQuery, { id: world.mirail })).outcome).toBe('hit');

    const mutation = 'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }';
    const proposed = await graph.request(mutation, {
      caller: world.callers.OWNER_STAFF,
      variables: proposal('Troc de graines'),
      url: graph.subgraphUrls.actions,
    });
    expect(proposed.errors).toBeUndefined();

    const after = await ask<{ district: { actions: { title: string }[] } }>(coordinator, actionsQuery, { id: world.mirail });
    expect(after.outcome).toBe('miss');
    expect(titlesIn(after)).toContain('Troc de graines');
  });
});

describe("a subgraph's revisions", () => {
  it('are served to the gateway alone: unsigned, or signed for anything else, they are refused', async () => {
    const url = new URL('/revisions', graph.subgraphUrls.tenancy);
    const signing = subgraphSigningFromEnv({ SUBGRAPH_SIGNING_SECRET: graph.signingSecret });
    const signedFor = (body: string) => ({ [SUBGRAPH_SIGNATURE_HEADER]: signatureFor(signing, { body, authorization: undefined }) });

    for (const headers of [{}, signedFor(''), signedFor('GET /graphql')]) {
      const refused = await fetch(url, { headers });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as GraphQLResponse).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const served = await fetch(url, { headers: signedFor('GET /revisions') });
    expect(served.status).toBe(200);
    const { revisions } = (await served.json()) as { revisions: Record<string, string> };
    // Every subgraph that served a mutation (the world was seeded through the graph) has one, whichever subgraph is asked.
    expect(Object.keys(revisions).sort()).toEqual(['actions', 'housing', 'partners', 'tenancy']);
  });
});
