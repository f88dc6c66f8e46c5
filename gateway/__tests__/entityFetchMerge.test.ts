import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import { mergeEntityFetches } from '../entityFetchMerge';
import { ForwardingDataSource } from '../forwardingDataSource';
import type { GatewayContext } from '../plugins/auth';
import { gatewayMetrics } from '../plugins/telemetry';

/** A real subgraph schema: landlords (one of which cannot be found) and buildings with a figure per year. */
const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { landlordCount: Int }
      type Landlord @key(fields: "id") { id: ID! name: String! }
      type Building @key(fields: "id") { id: ID! requests(year: Int!): Int! label(prefix: String): String! }
    `),
    resolvers: {
      Landlord: {
        // Not found: that entity null (as a loader's rejection does); an empty id fails the whole field (a throw).
        __resolveReference: ({ id }: { id: string }) => {
          if (id === '') throw new Error('No id');
          return id === 'gone' ? Promise.reject(new Error('Landlord not found')) : { id, name: `Landlord ${id}` };
        },
      },
      Building: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        requests: ({ id }: { id: string }, { year }: { year: number }) => year - 2000 + id.length,
        label: ({ id }: { id: string }, { prefix }: { prefix?: string | null }) => `${prefix ?? 'building'} ${id}`,
      },
    } as never,
  },
]);

/** Serves the schema over HTTP, counting the calls it answers. */
async function subgraph() {
  const calls: { query: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      calls.push({ query });
      void graphql({ schema, source: query, variableValues: variables }).then((result) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(result));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The two fetches a plan runs side by side, as Apollo's query planner writes them. */
const LANDLORD_NAMES =
  'query Dashboard__sub__1($representations:[_Any!]!){_entities(representations:$representations){...on Landlord{name}}}';
const BUILDING_REQUESTS =
  'query Dashboard__sub__2($representations:[_Any!]!$year:Int!){_entities(representations:$representations){...on Building{requests(year:$year)}}}';

function dataSource(url: string, merge: boolean) {
  return new ForwardingDataSource({
    name: 'sub',
    url,
    policy: { timeoutMs: 10_000, retries: 0, retryDelayMs: 0, breakerFailures: 5, breakerCoolDownMs: 1_000 },
    logger: pino({ level: 'silent' }),
    metrics: gatewayMetrics(new Registry()),
    signing: subgraphSigningFromEnv({ NODE_ENV: 'test' }),
    mergeEntityFetches: merge,
  });
}

function fetchOf(source: ForwardingDataSource, incomingRequestContext: object, query: string, variables: Record<string, unknown>) {
  return source.process({
    kind: 'incoming operation',
    request: { query, variables, http: { method: 'POST', url: 'unused', headers: new Headers() as never } },
    incomingRequestContext,
    context: { authorization: 'Bearer token', requestId: 'request-1' },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
}

const landlords = [
  { __typename: 'Landlord', id: 'a' },
  { __typename: 'Landlord', id: 'gone' },
  { __typename: 'Landlord', id: 'bb' },
];
const buildings = [
  { __typename: 'Building', id: 'b1' },
  { __typename: 'Building', id: 'b22' },
];

/** The two fetches of one request, side by side, as the plan runs them; data and errors of each. */
async function sideBySide(source: ForwardingDataSource, year = 2026, otherYear = year) {
  const request = {};
  const answers = await Promise.all([
    fetchOf(source, request, LANDLORD_NAMES, { representations: landlords }),
    fetchOf(source, request, BUILDING_REQUESTS, { representations: buildings, year }),
    fetchOf(source, request, BUILDING_REQUESTS, { representations: buildings.slice(0, 1), year: otherYear }),
  ]);
  return answers.map(({ data, errors }) => ({ data, errors: errors?.map(({ message, path }) => ({ message, path })) }));
}

describe('entity fetches of one request, side by side', () => {
  let server: Awaited<ReturnType<typeof subgraph>>;
  beforeAll(async () => (server = await subgraph()));
  beforeEach(() => (server.calls.length = 0));
  afterAll(() => server.close());

  it('go to the subgraph as one call, each answered as if sent alone, errors in place', async () => {
    const alone = await sideBySide(dataSource(server.url, false));
    expect(server.calls).toHaveLength(3);
    const merged = await sideBySide(dataSource(server.url, true));
    expect(server.calls).toHaveLength(4);
    expect(server.calls[3]!.query).toContain('_entities_2: _entities(representations: $representations_2)');
    expect(merged).toEqual(alone);
    expect(merged[0]).toEqual({
      data: { _entities: [{ name: 'Landlord a' }, null, { name: 'Landlord bb' }] },
      errors: [{ message: 'Landlord not found', path: ['_entities', 1] }],
    });
    expect(merged[1]).toEqual({ data: { _entities: [{ requests: 28 }, { requests: 29 }] }, errors: undefined });
  });

  it("are sent again alone when one fetch's failure leaves the merged answer without data", async () => {
    const source = dataSource(server.url, true);
    const request = {};
    const [failed, answered] = await Promise.all([
      fetchOf(source, request, LANDLORD_NAMES, { representations: [{ __typename: 'Landlord', id: '' }] }),
      fetchOf(source, request, BUILDING_REQUESTS, { representations: buildings, year: 2026 }),
    ]);
    expect(server.calls).toHaveLength(3);
    expect({ data: failed.data, messages: failed.errors?.map(({ message }) => message) }).toEqual({ data: null, messages: ['No id'] });
    expect({ data: answered.data, errors: answered.errors }).toEqual({
      data: { _entities: [{ requests: 28 }, { requests: 29 }] },
      errors: undefined,
    });
  });

  it('merge when an optional variable they declare is given to none of them', async () => {
    const labels = (name: string) =>
      `query Dashboard__sub__${name}($representations:[_Any!]!$prefix:String){_entities(representations:$representations){...on Building{label(prefix:$prefix)}}}`;
    const source = dataSource(server.url, true);
    const request = {};
    const answers = await Promise.all([
      fetchOf(source, request, labels('3'), { representations: buildings }),
      fetchOf(source, request, labels('4'), { representations: buildings.slice(1) }),
    ]);
    expect(server.calls).toHaveLength(1);
    expect(answers.map(({ data }) => data)).toEqual([
      { _entities: [{ label: 'building b1' }, { label: 'building b22' }] },
      { _entities: [{ label: 'building b22' }] },
    ]);
  });

  it('never merge across requests, nor when a variable they share differs', async () => {
    const source = dataSource(server.url, true);
    await Promise.all([
      fetchOf(source, {}, LANDLORD_NAMES, { representations: landlords }),
      fetchOf(source, {}, BUILDING_REQUESTS, { representations: buildings, year: 2026 }),
    ]);
    expect(server.calls).toHaveLength(2);
    const [, twentyFive, twentySix] = await sideBySide(source, 2025, 2026);
    expect(server.calls).toHaveLength(5);
    expect([twentyFive!.data, twentySix!.data]).toEqual([
      { _entities: [{ requests: 27 }, { requests: 28 }] },
      { _entities: [{ requests: 28 }] },
    ]);
  });
});

describe('mergeEntityFetches', () => {
  const fetches = [
    { query: LANDLORD_NAMES, variables: { representations: landlords } },
    { query: BUILDING_REQUESTS, variables: { representations: buildings, year: 2026 } },
  ];

  it('leaves alone what is not one unaliased `_entities` field over $representations', () => {
    const aliased = 'query($representations:[_Any!]!){e:_entities(representations:$representations){...on Landlord{name}}}';
    const twoFields = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Landlord{name}} landlordCount}';
    const retyped = 'query($representations:[_Any!]!$year:String){_entities(representations:$representations){__typename}}';
    for (const query of [
      aliased,
      twoFields,
      retyped,
      'mutation($representations:[_Any!]!){_entities(representations:$representations){__typename}}',
    ])
      expect(mergeEntityFetches([fetches[1]!, { query, variables: { representations: [] } }])).toBeUndefined();
  });
});
