import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { OperationTypeNode, buildSchema, isInputObjectType, isInterfaceType, isObjectType, parse } from 'graphql';
import type { Caller } from '../../lib/auth/caller';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { deduplicatingExecutor } from '../plugins/dedup';
import { subgraphFetcher } from '../subgraphFetcher';
import { ResponseCache, UNCACHED_DATA, readsOnlyCacheableTypes, sharingScope, stringifyResult } from '../plugins/responseCache';
import { FreshRevisions, type GraphRevisions, revisionsFrom } from '../plugins/responseCache/revisions';

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

/**
 * An executor in front of a graph whose one value, in actions, the test sets, each execution held until the test
 * releases it; a mutation changes the value and makes the actions revision new, as subgraphs do.
 */
function fakeGraph(ttlMs = 60_000) {
  let value = 'old';
  let executions = 0;
  const revisions: Record<string, string> = { housing: 'h1', partners: 'p1', actions: 'a1', tenancy: 't1' };
  let revisionsReadable = true;
  const held: (() => void)[] = [];
  const cache = new ResponseCache({
    maxBytes: 1_000_000,
    ttlMs,
    exposeOutcome: false,
    readRevisions: () => (revisionsReadable ? Promise.resolve({ ...revisions }) : Promise.reject(new Error('housing is down'))),
  });
  const executor: GatewayExecutor = (context) => {
    executions += 1;
    const fetch = { kind: 'Fetch', serviceName: 'actions', operationKind: context.operation.operation };
    cache.didResolveQueryPlan({ queryPlan: { kind: 'QueryPlan', node: fetch }, requestContext: context } as never);
    if (context.operation.operation === OperationTypeNode.MUTATION) {
      value = 'new';
      revisions.actions = `${revisions.actions}'`;
      return Promise.resolve({ data: { proposeAction: true } });
    }
    const seen = value;
    return new Promise((resolve) => held.push(() => resolve({ data: { district: { name: seen } } })));
  };
  const execute = cache.executor(executor, (inner) => deduplicatingExecutor(inner, () => undefined));
  /** Runs a read to its end, releasing it at once. */
  const readNow = async (context = requestContext('query')) => {
    const result = execute(context);
    await new Promise((resolve) => setImmediate(resolve));
    held.splice(0).forEach((release) => release());
    return nameIn(await result);
  };
  return {
    execute,
    readNow,
    revisions,
    setRevisionsReadable: (readable: boolean) => (revisionsReadable = readable),
    setValue: (next: string) => (value = next),
    executions: () => executions,
    release: () => held.splice(0).forEach((release) => release()),
  };
}

const nameIn = (result: Awaited<ReturnType<GatewayExecutor>>) => (result.data as { district: { name: string } }).district.name;

/** Lets the reads of revisions started so far answer, and the executions they lead to start. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a read answers without any execution being released (from the store). */
const answersAtOnce = (read: Promise<unknown>) => Promise.race([read.then(() => true), sleep(5).then(() => false)]);

describe('ResponseCache', () => {
  it('shares a miss in flight, then answers from the store', async () => {
    const graph = fakeGraph();
    const [first, second] = [graph.execute(requestContext('query')), graph.execute(requestContext('query', { ...STAFF, sub: 'b' }))];
    await settle();
    graph.release();
    expect((await Promise.all([first, second])).map(nameIn)).toEqual(['old', 'old']);
    expect(await graph.readNow()).toBe('old');
    expect(graph.executions()).toBe(1);
  });

  it('never lets a read after a write join, or be served, a read started before it', async () => {
    const graph = fakeGraph();
    const before = graph.execute(requestContext('query'));
    await settle();
    await graph.execute(requestContext('mutation'));
    const after = graph.execute(requestContext('query'));
    await settle();
    graph.release();
    expect([nameIn(await before), nameIn(await after)]).toEqual(['old', 'new']);
    expect(await graph.readNow()).toBe('new');
    expect(graph.executions()).toBe(3);
  });

  it('never lets a read it does not cache, sent after a write, join a deduplicated read started before it', async () => {
    const graph = fakeGraph();
    const source = 'query Dashboard { household(id: "h") { id } }';
    const uncachedRead = () => ({ ...requestContext('query'), document: parse(source), queryHash: source });
    const before = graph.execute(uncachedRead());
    await settle();
    await graph.execute(requestContext('mutation'));
    const after = graph.execute(uncachedRead());
    await settle();
    graph.release();
    expect([nameIn(await before), nameIn(await after)]).toEqual(['old', 'new']);
    expect(graph.executions()).toBe(3);
  });

  it('serves an answer while the revisions of the subgraphs it was read from, and of housing and partners, are unchanged', async () => {
    const graph = fakeGraph();
    await graph.readNow();
    // A write through another gateway, or another worker: only the subgraph's revision says so.
    graph.revisions.tenancy = 't2';
    await graph.readNow();
    expect(graph.executions()).toBe(1);
    for (const [subgraph, revision] of [
      ['actions', 'a2'],
      ['housing', 'h2'],
      ['partners', 'p2'],
    ] as const) {
      graph.revisions[subgraph] = revision;
      await graph.readNow();
      await graph.readNow();
    }
    expect(graph.executions()).toBe(4);
    // A subgraph without a revision yet (a database loaded afresh) is a change too.
    delete graph.revisions.actions;
    await graph.readNow();
    expect(graph.executions()).toBe(5);
  });

  it('keeps an answer not read again between half of ttlMs and ttlMs, so that answers stored together expire apart', async () => {
    const lifetimes: number[] = [];
    for (let answer = 0; answer < 8; answer += 1) {
      const graph = fakeGraph(400);
      await graph.readNow();
      const stored = Date.now();
      // Reads that are never released: those served from the store answer; the first one after it expired waits.
      // (Refreshes they start are held too, so the answer stored first is the one that expires.)
      while (await answersAtOnce(graph.execute(requestContext('query')))) await sleep(10);
      lifetimes.push(Date.now() - stored);
      graph.release();
    }
    for (const lifetime of lifetimes) {
      expect(lifetime).toBeGreaterThanOrEqual(190);
      expect(lifetime).toBeLessThan(700);
    }
    expect(new Set(lifetimes.map((lifetime) => Math.round(lifetime / 20))).size).toBeGreaterThan(1);
  });

  it('computes an answer still read near its end again behind the readers, none of whom waits for it', async () => {
    const graph = fakeGraph(400);
    await graph.readNow();
    // What ages with the clock, with no revision made new: only computing the answer again shows it.
    graph.setValue('aged');
    const started = Date.now();
    const answers = new Set<string>();
    while (Date.now() - started < 1_200) {
      await sleep(10);
      const read = graph.execute(requestContext('query'));
      expect(await answersAtOnce(read)).toBe(true);
      answers.add(nameIn(await read));
      // The refresh a read started, if any, completes.
      graph.release();
    }
    expect([...answers]).toEqual(['old', 'aged']);
    expect(graph.executions()).toBeGreaterThanOrEqual(3);
  });

  it('logs a refresh that throws, and keeps serving the stored answer', async () => {
    const logged: unknown[] = [];
    let executions = 0;
    const cache = new ResponseCache({
      maxBytes: 1_000_000,
      ttlMs: 2_000,
      exposeOutcome: false,
      readRevisions: () => Promise.resolve({}),
      logger: { error: (fields: unknown) => logged.push(fields) },
    });
    const execute = cache.executor((context) => {
      executions += 1;
      cache.didResolveQueryPlan({ queryPlan: { kind: 'QueryPlan' }, requestContext: context } as never);
      return executions === 1 ? Promise.resolve({ data: { district: { name: 'old' } } }) : Promise.reject(new Error('a bug'));
    });
    // Kept for half the time (1 s), computed again when read after three quarters of that (750 ms).
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    await execute(requestContext('query')).finally(() => random.mockRestore());
    await sleep(850);
    expect(nameIn(await execute(requestContext('query')))).toBe('old');
    await settle();
    expect(executions).toBe(2);
    expect(logged).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: 'a bug' }) })]);
  });

  it('counts the key against its size, so that answers asked with large variables cannot fill memory past it', async () => {
    const graph = fakeGraph();
    // A key larger than the whole cache (1,000,000 bytes here), for an answer of a few bytes.
    const largeVariables = () => ({
      ...requestContext('query'),
      request: { ...requestContext('query').request, variables: { pad: 'x'.repeat(1_000_001) } },
    });
    await graph.readNow(largeVariables());
    await graph.readNow(largeVariables());
    expect(graph.executions()).toBe(2);
  });

  it('writes a stored answer out from the JSON made when it was stored, byte for byte as JSON.stringify would', async () => {
    let serialised = 0;
    const data = {
      district: {
        get name() {
          serialised += 1;
          return 'Mirail';
        },
      },
    };
    const cache = new ResponseCache({ maxBytes: 1_000_000, ttlMs: 60_000, exposeOutcome: false, readRevisions: () => Promise.resolve({}) });
    const execute = cache.executor((context) => {
      cache.didResolveQueryPlan({ queryPlan: { kind: 'QueryPlan' }, requestContext: context } as never);
      return Promise.resolve({ data });
    });
    await execute(requestContext('query'));
    const hit = await execute(requestContext('query'));
    const stored = serialised;
    // As Apollo hands it over: errors, data, extensions, in that order (undefined ones left out by JSON).
    const results = [
      { errors: undefined, data: hit.data, extensions: undefined },
      { errors: [{ message: 'late', path: ['district'] }], data: hit.data, extensions: { cost: 3 } },
    ];
    const written = results.map(stringifyResult);
    expect(serialised).toBe(stored);
    expect(written).toEqual(results.map((result) => `${JSON.stringify(result)}\n`));
    expect(stringifyResult({ data: { district: { name: 'not stored' } } })).toBe('{"data":{"district":{"name":"not stored"}}}\n');
  });

  it('executes every read, and stores nothing, while the revisions cannot be read', async () => {
    const graph = fakeGraph();
    graph.setRevisionsReadable(false);
    expect([await graph.readNow(), await graph.readNow()]).toEqual(['old', 'old']);
    expect(graph.executions()).toBe(2);
    graph.setRevisionsReadable(true);
    await graph.readNow();
    await graph.readNow();
    expect(graph.executions()).toBe(3);
  });
});

describe('FreshRevisions', () => {
  /** A source whose reads answer when the test says, with the number of the read. */
  function source() {
    const pending: ((outcome: 'answer' | 'fail') => void)[] = [];
    let reads = 0;
    const read = () =>
      new Promise<GraphRevisions>((resolve, reject) => {
        const number = (reads += 1);
        pending.push((outcome) =>
          outcome === 'answer' ? resolve({ housing: `read ${number}` }) : reject(new Error(`read ${number} failed`)),
        );
      });
    const settleNext = async (outcome: 'answer' | 'fail' = 'answer') => {
      pending.shift()!(outcome);
      await settle();
    };
    return { read, settleNext, reads: () => reads };
  }

  it('gives callers who arrive during a read the next read, shared, never the one in flight', async () => {
    const revisions = source();
    const fresh = new FreshRevisions(revisions.read);
    const first = fresh.current();
    const [second, third] = [fresh.current(), fresh.current()];
    expect(revisions.reads()).toBe(1);
    await revisions.settleNext();
    expect(revisions.reads()).toBe(2);
    const fourth = fresh.current();
    await revisions.settleNext();
    await revisions.settleNext();
    expect((await Promise.all([first, second, third, fourth])).map((answer) => answer.housing)).toEqual([
      'read 1',
      'read 2',
      'read 2',
      'read 3',
    ]);
    expect(revisions.reads()).toBe(3);
  });

  it('fails the callers of a failed read, and reads again for the next ones', async () => {
    const revisions = source();
    const fresh = new FreshRevisions(revisions.read);
    const failed = fresh.current();
    const queued = fresh.current();
    await revisions.settleNext('fail');
    await expect(failed).rejects.toThrow('read 1 failed');
    await revisions.settleNext();
    expect((await queued).housing).toBe('read 2');
    const next = fresh.current();
    await revisions.settleNext();
    expect((await next).housing).toBe('read 3');
  });
});

describe('revisionsFrom', () => {
  /** A housing whose /revisions hangs until told to answer; counts the reads that reach it. */
  async function housing() {
    let answering = false;
    let reads = 0;
    const server: Server = createServer((request, response) => {
      reads += 1;
      if (answering) response.end(JSON.stringify({ revisions: { housing: 'h1' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoints = new Map([['housing', `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`]]);
    const close = () => {
      server.closeAllConnections();
      server.close();
    };
    return { endpoints, reads: () => reads, answer: () => (answering = true), close };
  }

  it('while housing hangs, fails at once after one read timed out, and tries one read again after the cool-down', async () => {
    const subgraph = await housing();
    // The gateway's own client to the subgraphs, as it reads the revisions.
    const client = subgraphFetcher('keep-alive', 4);
    try {
      const read = revisionsFrom(subgraph.endpoints, { secret: Buffer.alloc(32), isDevelopmentDefault: true }, client.fetcher, {
        timeoutMs: 150,
        coolDownMs: 400,
      });
      await expect(read()).rejects.toThrow();
      const started = Date.now();
      await expect(read()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(100);
      expect(subgraph.reads()).toBe(1);
      await sleep(450);
      subgraph.answer();
      expect(await read()).toEqual({ housing: 'h1' });
      expect(subgraph.reads()).toBe(2);
    } finally {
      client.destroy();
      subgraph.close();
    }
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
