import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { OperationTypeNode, buildSchema, isInputObjectType, isInterfaceType, isObjectType, parse } from 'graphql';
import type { Caller } from '../../lib/auth/caller';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deduplicatingExecutor } from '../plugins/dedup';
import { ResponseCache, UNCACHED_DATA, readsOnlyCacheableTypes, sharingScope } from '../plugins/responseCache';
import { type PrimaryChannel, peerCaches } from '../plugins/responseCache/clusterInvalidation';
import { ResponseStore } from '../plugins/responseCache/responseStore';

/** The cache's logic on its own; test/access/responseCache.test.ts and test/resilience/gatewayWorkers.test.ts take it through the gateway. */

const SCHEMA = buildSchema(`
  type Query { district(id: ID!): District household(id: ID!): Household dwelling(id: ID!): Dwelling }
  type Mutation { proposeAction(title: String!): Boolean }
  type District { id: ID! name: String! }
  type Household { id: ID! }
  type Dwelling { id: ID! rooms: Int rentCents: Int }
`);

const STAFF: Caller = { role: 'LANDLORD_STAFF', sub: 'a', landlordId: 'landlord-1' };

function requestContext(operation: 'query' | 'mutation', caller: Caller = STAFF): GatewayGraphQLRequestContext {
  const source = operation === 'query' ? 'query Dashboard { district(id: "d") { name } }' : 'mutation { proposeAction(title: "t") }';
  return {
    schema: SCHEMA,
    document: parse(source),
    queryHash: source,
    operationName: operation === 'query' ? 'Dashboard' : null,
    operation: { operation },
    context: { caller },
    // One token for every request: deduplication by Authorization would join any two of them.
    request: { variables: {}, http: { headers: new Headers({ authorization: 'Bearer same' }) } },
  } as unknown as GatewayGraphQLRequestContext;
}

/** An executor in front of a graph whose one value the test sets, each execution held until the test releases it. */
function fakeGraph(cache: ResponseCache) {
  let value = 'old';
  let executions = 0;
  const held: (() => void)[] = [];
  const executor: GatewayExecutor = (context) => {
    executions += 1;
    const isMutation = context.operation.operation === OperationTypeNode.MUTATION;
    const service = isMutation ? 'actions' : 'housing';
    const fetch = { kind: 'Fetch', serviceName: service, operationKind: context.operation.operation };
    cache.didResolveQueryPlan({ queryPlan: { kind: 'QueryPlan', node: fetch }, requestContext: context } as never);
    if (isMutation) {
      value = 'new';
      return Promise.resolve({ data: { proposeAction: true } });
    }
    const seen = value;
    return new Promise((resolve) => held.push(() => resolve({ data: { district: { name: seen } } })));
  };
  return { executor, executions: () => executions, release: () => held.splice(0).forEach((release) => release()) };
}

const nameIn = (result: Awaited<ReturnType<GatewayExecutor>>) => (result.data as { district: { name: string } }).district.name;

describe('ResponseCache', () => {
  const options = { maxBytes: 1_000_000, ttlMs: 60_000, exposeOutcome: false };

  it('shares a miss in flight, then answers from the store', async () => {
    const cache = new ResponseCache(options);
    const graph = fakeGraph(cache);
    const execute = cache.executor(graph.executor, (executor) => deduplicatingExecutor(executor, () => undefined));
    const [first, second] = [execute(requestContext('query')), execute(requestContext('query', { ...STAFF, sub: 'b' }))];
    graph.release();
    expect((await Promise.all([first, second])).map(nameIn)).toEqual(['old', 'old']);
    expect(nameIn(await execute(requestContext('query')))).toBe('old');
    expect(graph.executions()).toBe(1);
  });

  it('never lets a read after a write join, or store, a read started before it', async () => {
    const cache = new ResponseCache(options);
    const graph = fakeGraph(cache);
    const execute = cache.executor(graph.executor, (executor) => deduplicatingExecutor(executor, () => undefined));
    const before = execute(requestContext('query'));
    await execute(requestContext('mutation'));
    const after = execute(requestContext('query'));
    graph.release();
    expect([nameIn(await before), nameIn(await after)]).toEqual(['old', 'new']);
    expect(nameIn(await execute(requestContext('query')))).toBe('new');
    expect(graph.executions()).toBe(3);
  });
  it('never lets a read it does not cache, sent after a write, join a deduplicated read started before it', async () => {
    const cache = new ResponseCache(options);
    const graph = fakeGraph(cache);
    const execute = cache.executor(graph.executor, (executor) => deduplicatingExecutor(executor, () => undefined));
    const source = 'query Dashboard { household(id: "h") { id } }';
    const uncachedRead = () => ({ ...requestContext('query'), document: parse(source), queryHash: source });
    const before = execute(uncachedRead());
    await execute(requestContext('mutation'));
    const after = execute(uncachedRead());
    graph.release();
    expect([nameIn(await before), nameIn(await after)]).toEqual(['old', 'new']);
    expect(graph.executions()).toBe(3);
  });
});

describe('peerCaches', () => {
  /** A primary that answers each invalidation after `answerAfterMs` (never: a hung worker holds it up). */
  function primary(answerAfterMs: number | 'never'): PrimaryChannel {
    let listener: (message: unknown) => void = () => undefined;
    return {
      onMessage: (received) => (listener = received),
      send: (message) => {
        if (answerAfterMs === 'never' || message.type !== 'quartier-commun:response-cache:invalidate') return;
        const { id } = message;
        setTimeout(() => listener({ type: 'quartier-commun:response-cache:invalidated', id }), answerAfterMs);
      },
    };
  }
  const invalidation = { subgraphs: ['actions'] } as never;

  it('holds a write until every other worker has applied its invalidation', async () => {
    const started = Date.now();
    await peerCaches(() => undefined, 5_000, primary(150)).invalidate(invalidation);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('lets the write answer after the time to live when a worker hangs: its answers from before the write have expired', async () => {
    const started = Date.now();
    await peerCaches(() => undefined, 300, primary('never')).invalidate(invalidation);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('sharingScope', () => {
  it('is the claims the access rule reads, and not who the person is', () => {
    expect(sharingScope(STAFF)).toBe(sharingScope({ ...STAFF, sub: 'someone else' }));
    const scopes = [
      STAFF,
      { ...STAFF, landlordId: 'landlord-2' },
      { role: 'ADMIN', sub: 'a' },
      { role: 'COORDINATOR', sub: 'a', districtIds: ['d1'] },
      { role: 'COORDINATOR', sub: 'a', districtIds: ['d1', 'd2'] },
      { role: 'COORDINATOR', sub: 'a', districtIds: ['d2', 'd1'] },
      { role: 'PARTNER', sub: 'a', partnerId: 'landlord-1' },
    ].map((caller) => sharingScope(caller as Caller));
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});

describe('readsOnlyCacheableTypes', () => {
  it('finds a private type anywhere in the operation executed, fragments included', () => {
    const check = (source: string, name: string | null = null) => readsOnlyCacheableTypes(SCHEMA, parse(source), name);
    expect(check('{ district(id: "d") { name } }')).toBe(true);
    expect(check('{ h: household(id: "h") { id } }')).toBe(false);
    expect(check('{ ...F } fragment F on Query { household(id: "h") { id } }')).toBe(false);
    expect(check('query A { district(id: "d") { id } } query B { household(id: "h") { id } }', 'A')).toBe(true);
    expect(check('{ dwelling(id: "d") { rooms } }')).toBe(true);
    expect(check('{ dwelling(id: "d") { rooms rent: rentCents } }')).toBe(false);
  });

  it("never caches a landlord's wellbeing calls, a caller's queue or a referral's contact", () => {
    const api = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/api.graphql'), 'utf8'));
    const check = (source: string) => readsOnlyCacheableTypes(api, parse(source), null);
    // A campaign and its progress are shared; its calls are the landlord's, and a caller's queue is that caller's alone.
    expect(check('{ campaign(id: "c") { title progress { total { households { count disclosure } } } } }')).toBe(true);
    expect(check('{ campaign(id: "c") { myCallsToday { status } } }')).toBe(false);
    expect(check('{ campaign(id: "c") { calls(first: 5) { totalCount } } }')).toBe(false);
    expect(check('{ campaign(id: "c") { callListCsv } }')).toBe(false);
    expect(check('{ referrals(first: 5) { nodes { need } } }')).toBe(false);
    expect(check('{ contactAccessLog(first: 5) { totalCount } }')).toBe(false);
  });

  it('knows every type and field the public schema calls private', () => {
    const api = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/api.graphql'), 'utf8'));
    const described = Object.values(api.getTypeMap()).flatMap((type) => [
      ...(/private to/i.test(type.description ?? '') ? [type.name] : []),
      ...(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)
        ? Object.values<{ name: string; description?: string | null }>(type.getFields())
            .filter((field) => /private to/i.test(field.description ?? ''))
            .map((field) => `${type.name}.${field.name}`)
        : []),
    ]);
    expect(described.length).toBeGreaterThan(0);
    expect(described.filter((name) => !UNCACHED_DATA.has(name))).toEqual([]);
  });
});

describe('ResponseStore', () => {
  const answer = (name: string, subgraphs: string[] = ['housing']) => ({ data: { name }, subgraphs });

  it('drops the answers read from the subgraphs written, or all of them', () => {
    const store = new ResponseStore({ maxBytes: 1_000, ttlMs: 60_000 });
    store.set('housing', answer('h'), store.generation());
    store.set('both', answer('b', ['housing', 'tenancy']), store.generation());
    store.set('actions', answer('a', ['actions']), store.generation());
    store.invalidate({ all: false, subgraphs: ['tenancy'] });
    expect(['housing', 'both', 'actions'].map((key) => store.get(key) !== undefined)).toEqual([true, false, true]);
    store.invalidate({ all: true });
    expect(store.size).toBe(0);
  });

  it('refuses an answer whose read began before an invalidation', () => {
    const store = new ResponseStore({ maxBytes: 1_000, ttlMs: 60_000 });
    const generation = store.generation();
    store.invalidate({ all: false, subgraphs: ['actions'] });
    expect(store.set('k', answer('stale'), generation)).toBe(false);
    expect(store.get('k')).toBeUndefined();
  });

  it('keeps answers at most ttlMs, and within maxBytes, least recently used out first', async () => {
    const store = new ResponseStore({ maxBytes: 40, ttlMs: 50 });
    store.set('a', answer('aaaaaa'), 0);
    store.set('b', answer('bbbbbb'), 0);
    store.get('a');
    store.set('c', answer('cccccc'), 0);
    expect(['a', 'b', 'c'].map((key) => store.get(key) !== undefined)).toEqual([true, false, true]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.get('a')).toBeUndefined();
  });
});
