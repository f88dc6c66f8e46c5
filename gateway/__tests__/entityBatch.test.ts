import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import { MAX_REPRESENTATIONS } from '../../lib/limits/representations';
import { EntityBatch, joinEntityAnswers, slicesOf } from '../entityBatch';
import { ForwardingDataSource } from '../forwardingDataSource';
import { gatewayMetrics } from '../plugins/telemetry';
import type { GatewayContext } from '../plugins/auth';

const landlord = (id: string) => ({ __typename: 'Landlord', id });

describe('EntityBatch', () => {
  it('keeps each distinct representation once, in first-seen order', () => {
    const batch = new EntityBatch([landlord('a'), landlord('b'), landlord('a'), landlord('a'), landlord('c')]);
    expect(batch.distinct).toEqual([landlord('a'), landlord('b'), landlord('c')]);
    expect(batch.hasDuplicates).toBe(true);
    expect(new EntityBatch([landlord('a'), landlord('b')]).hasDuplicates).toBe(false);
  });

  it('tells apart representations that differ in a required field', () => {
    const batch = new EntityBatch([
      { ...landlord('a'), region: 'x' },
      { ...landlord('a'), region: 'y' },
    ]);
    expect(batch.distinct).toHaveLength(2);
  });

  it("spreads the subgraph's answer back over every occurrence, repeated entities as copies", () => {
    const batch = new EntityBatch([landlord('a'), landlord('b'), landlord('a'), null, null]);
    const answered = [{ name: 'A', tags: ['x'] }, { name: 'B', tags: [] }, null];
    const entities = batch.expandEntities(answered) as ({ name: string } | null)[];
    expect(entities).toEqual([{ name: 'A', tags: ['x'] }, { name: 'B', tags: [] }, { name: 'A', tags: ['x'] }, null, null]);
    expect(entities[0]).toBe(answered[0]);
    expect(entities[2]).not.toBe(entities[0]);
  });

  it('repeats an error on an entity for every occurrence, and leaves other errors as they are', () => {
    const batch = new EntityBatch([landlord('a'), landlord('b'), landlord('a')]);
    const errors = batch.expandErrors([
      { message: 'no such landlord', path: ['_entities', 0, 'name'] },
      { message: 'whole fetch', path: ['_entities'] },
      { message: 'no path' },
    ]);
    expect(errors).toEqual([
      { message: 'no such landlord', path: ['_entities', 0, 'name'] },
      { message: 'no such landlord', path: ['_entities', 2, 'name'] },
      { message: 'whole fetch', path: ['_entities'] },
      { message: 'no path' },
    ]);
  });
});

/** A subgraph answering `_entities` with each landlord's name, except landlord 'gone', and recording what it received. */
async function entitiesSubgraph(): Promise<{ url: string; received: unknown[][]; close(): Promise<void> }> {
  const received: unknown[][] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { representations } = (JSON.parse(body) as { variables: { representations: { id: string }[] } }).variables;
      received.push(representations);
      const entities = representations.map(({ id }) => (id === 'gone' ? null : { name: `Landlord ${id}` }));
      const errors = representations.flatMap(({ id }, index) =>
        id === 'gone' ? [{ message: 'Landlord not found', path: ['_entities', index] }] : [],
      );
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { _entities: entities }, ...(errors.length > 0 && { errors }) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The gateway's `_entities` fetch of `representations` from `subgraph`, as the query planner asks for it. */
function fetchEntities(subgraph: { url: string }, representations: unknown[]) {
  const dataSource = new ForwardingDataSource({
    name: 'housing',
    url: subgraph.url,
    policy: { timeoutMs: 10_000, retries: 0, retryDelayMs: 0, breakerFailures: 5, breakerCoolDownMs: 1_000 },
    logger: pino({ level: 'silent' }),
    metrics: gatewayMetrics(new Registry()),
    signing: subgraphSigningFromEnv({ NODE_ENV: 'test' }),
    mergeEntityFetches: true,
  });
  return dataSource.process({
    kind: 'incoming operation',
    request: {
      query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Landlord { name } } }',
      variables: { representations },
      http: { method: 'POST', url: subgraph.url, headers: new Headers() as never },
    },
    incomingRequestContext: {},
    context: { authorization: 'Bearer token', requestId: 'request-1' },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
}

describe('ForwardingDataSource with repeated representations', () => {
  it('asks the subgraph for each distinct entity once and answers every occurrence', async () => {
    const subgraph = await entitiesSubgraph();
    try {
      const representations = [landlord('a'), landlord('gone'), landlord('b'), landlord('a'), landlord('gone'), landlord('a')];
      const response = await fetchEntities(subgraph, representations);

      expect(subgraph.received).toEqual([[landlord('a'), landlord('gone'), landlord('b')]]);
      expect(response.data?._entities).toEqual([
        { name: 'Landlord a' },
        null,
        { name: 'Landlord b' },
        { name: 'Landlord a' },
        null,
        { name: 'Landlord a' },
      ]);
      expect(response.errors?.map((error) => error.path)).toEqual([
        ['_entities', 1],
        ['_entities', 4],
      ]);
    } finally {
      await subgraph.close();
    }
  });
});

describe('slicesOf and joinEntityAnswers', () => {
  it('cut a fetch into consecutive slices and put the answers back in place', () => {
    expect(slicesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    const joined = joinEntityAnswers(
      [
        { data: { _entities: ['a', null] }, errors: [{ message: 'gone', path: ['_entities', 1, 'name'] }] },
        { data: null, errors: [{ message: 'slice failed', path: ['_entities'] }] },
        { data: { _entities: [null] }, errors: [{ message: 'gone', path: ['_entities', 0] }] },
      ],
      [2, 2, 1],
    );
    expect(joined).toEqual({
      data: { _entities: ['a', null, null, null, null] },
      errors: [
        { message: 'gone', path: ['_entities', 1, 'name'] },
        { message: 'slice failed', path: ['_entities'] },
        { message: 'gone', path: ['_entities', 4] },
      ],
    });
  });
});

describe('ForwardingDataSource with more representations than a subgraph accepts', () => {
  it(`sends at most ${MAX_REPRESENTATIONS} in one call, and answers every one in its place`, async () => {
    const subgraph = await entitiesSubgraph();
    try {
      const distinct = Array.from({ length: 2 * MAX_REPRESENTATIONS + 500 }, (_, index) => landlord(index === 1500 ? 'gone' : `l${index}`));
      // Each landlord twice, as the planner names one per occurrence.
      const representations = [...distinct, ...distinct];
      const response = await fetchEntities(subgraph, representations);

      expect(subgraph.received.map((slice) => slice.length)).toEqual([MAX_REPRESENTATIONS, MAX_REPRESENTATIONS, 500]);
      expect(subgraph.received.flat()).toEqual(distinct);
      const entities = response.data?._entities as ({ name: string } | null)[];
      expect(entities).toHaveLength(representations.length);
      expect(entities[2499]).toEqual({ name: 'Landlord l2499' });
      expect(entities[2500 + 2499]).toEqual({ name: 'Landlord l2499' });
      expect([entities[1500], entities[2500 + 1500]]).toEqual([null, null]);
      expect(response.errors?.map((error) => error.path)).toEqual([
        ['_entities', 1500],
        ['_entities', 2500 + 1500],
      ]);
    } finally {
      await subgraph.close();
    }
  });
});
