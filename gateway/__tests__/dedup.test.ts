import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { OperationTypeNode } from 'graphql';
import { canonicalJson, deduplicatingExecutor, executionKey } from '../plugins/dedup';
import { InflightCalls } from '../plugins/dedup/inflightCalls';
import { startDistrictGraph, type DistrictGraph } from './districtGraph';

type Operation = 'query' | 'mutation';

function requestContext({
  operation = 'query',
  variables = {},
  authorization = 'Bearer a',
  queryHash = 'hash-1',
}: {
  operation?: Operation;
  variables?: Record<string, unknown>;
  authorization?: string;
  queryHash?: string;
} = {}): GatewayGraphQLRequestContext {
  return {
    queryHash,
    operationName: 'Dashboard',
    operation: { operation },
    request: { variables, http: { headers: new Headers({ authorization }) } },
  } as unknown as GatewayGraphQLRequestContext;
}

/** An executor whose executions finish when the test says so. */
function heldExecutor() {
  const pending: (() => void)[] = [];
  let executions = 0;
  const executor: GatewayExecutor = () => {
    executions += 1;
    const execution = executions;
    return new Promise((resolve) => pending.push(() => resolve({ data: { execution } })));
  };
  return { executor, executions: () => executions, releaseAll: () => pending.splice(0).forEach((release) => release()) };
}

describe('InflightCalls', () => {
  it('shares a call in flight and forgets it once settled', async () => {
    const calls = new InflightCalls<number>();
    let release!: (value: number) => void;
    const first = calls.run('k', () => new Promise((resolve) => (release = resolve)));
    const second = calls.run('k', () => Promise.resolve(2));
    expect([first.shared, second.shared]).toEqual([false, true]);
    release(1);
    expect(await second.result).toBe(1);
    expect(calls.size).toBe(0);
    expect(await calls.run('k', () => Promise.resolve(3)).result).toBe(3);
  });

  it('shares a failure with every caller, then runs again', async () => {
    const calls = new InflightCalls<number>();
    const failing = calls.run('k', () => Promise.reject(new Error('down')));
    const joined = calls.run('k', () => Promise.resolve(1));
    await expect(failing.result).rejects.toThrow('down');
    await expect(joined.result).rejects.toThrow('down');
    expect(await calls.run('k', () => Promise.resolve(1)).result).toBe(1);
  });
});

describe('deduplicatingExecutor', () => {
  it('runs identical concurrent queries once, each request getting its own copy of the result', async () => {
    const held = heldExecutor();
    let shared = 0;
    const execute = deduplicatingExecutor(held.executor, () => (shared += 1));
    const results = [execute(requestContext()), execute(requestContext()), execute(requestContext())];
    held.releaseAll();
    const [first, second, third] = await Promise.all(results);
    expect(held.executions()).toBe(1);
    expect([first, second, third]).toEqual([{ data: { execution: 1 } }, { data: { execution: 1 } }, { data: { execution: 1 } }]);
    expect(first).not.toBe(second);
    expect(shared).toBe(2);
  });

  it('never shares between callers, variables, documents, or with a mutation', async () => {
    const held = heldExecutor();
    const execute = deduplicatingExecutor(held.executor, () => undefined);
    const results = [
      execute(requestContext()),
      execute(requestContext({ authorization: 'Bearer b' })),
      execute(requestContext({ variables: { districtId: 'd2' } })),
      execute(requestContext({ queryHash: 'hash-2' })),
      execute(requestContext({ operation: 'mutation' })),
      execute(requestContext({ operation: 'mutation' })),
    ];
    held.releaseAll();
    await Promise.all(results);
    expect(held.executions()).toBe(6);
  });

  it('never lets a query sent after a mutation join one started before it (same caller)', async () => {
    const held = heldExecutor();
    const execute = deduplicatingExecutor(
      (context) =>
        context.operation.operation === OperationTypeNode.MUTATION ? Promise.resolve({ data: { written: true } }) : held.executor(context),
      () => undefined,
    );
    const before = execute(requestContext());
    await execute(requestContext({ operation: 'mutation' }));
    const after = execute(requestContext());
    held.releaseAll();
    expect([await before, await after]).toEqual([{ data: { execution: 1 } }, { data: { execution: 2 } }]);
  });

  it('runs again once the shared execution has finished: nothing is cached', async () => {
    const held = heldExecutor();
    const execute = deduplicatingExecutor(held.executor, () => undefined);
    const first = execute(requestContext());
    held.releaseAll();
    await first;
    const second = execute(requestContext());
    held.releaseAll();
    expect(await second).toEqual({ data: { execution: 2 } });
  });
});

describe('executionKey', () => {
  it('is the same for the same variables in any key order, and none for mutations', () => {
    expect(executionKey(requestContext({ variables: { a: 1, b: { y: 2, x: 1 } } }))).toBe(
      executionKey(requestContext({ variables: { b: { x: 1, y: 2 }, a: 1 } })),
    );
    expect(executionKey(requestContext({ operation: 'mutation' }))).toBeUndefined();
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

describe('deduplication through the gateway', () => {
  const NOTE_QUERY = { query: 'query Note($id: ID!) { district(id: $id) { name note } }', variables: { id: 'd1' } };
  let graph: DistrictGraph | undefined;

  afterEach(async () => {
    await graph?.close();
    graph = undefined;
  });

  /** Sends `bodies` at once with these Authorization headers while the notes subgraph holds every call (until its 300 ms limit). */
  async function concurrently(bodies: { body: unknown; authorization: string }[]) {
    const started = graph!;
    const before = { districts: started.districts.calls(), notes: started.notes.calls() };
    started.notes.hang();
    const responses = await Promise.all(
      bodies.map(({ body, authorization }) => started.post(body, { caller: null, headers: { authorization } })),
    );
    started.notes.heal();
    return { responses, districtCalls: started.districts.calls() - before.districts, noteCalls: started.notes.calls() - before.notes };
  }

  const settings = { SUBGRAPH_TIMEOUT_MS_NOTES: '300', SUBGRAPH_RETRIES: '0' };

  it('shares one execution among identical queries of one caller; each response is complete', async () => {
    graph = await startDistrictGraph(settings);
    const authorization = `Bearer ${await graph.token()}`;
    const { responses, districtCalls, noteCalls } = await concurrently([1, 2, 3].map(() => ({ body: NOTE_QUERY, authorization })));
    expect({ districtCalls, noteCalls }).toEqual({ districtCalls: 1, noteCalls: 1 });
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ district: { name: 'Les Tilleuls', note: null } });
      expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['SUBGRAPH_TIMEOUT']);
    }
    expect(new Set(responses.map((response) => response.headers.get('x-request-id'))).size).toBe(3);
  });

  it('runs the same query separately for two callers, and every mutation', async () => {
    graph = await startDistrictGraph(settings);
    const coordinator = `Bearer ${await graph.token({ role: 'COORDINATOR', sub: 'c', districtIds: ['d1'] })}`;
    const admin = `Bearer ${await graph.token()}`;
    const mutation = { query: 'mutation { addNote(districtId: "d1", text: "hi") }' };
    const { noteCalls } = await concurrently([
      { body: NOTE_QUERY, authorization: admin },
      { body: NOTE_QUERY, authorization: coordinator },
      { body: mutation, authorization: admin },
      { body: mutation, authorization: admin },
    ]);
    expect(noteCalls).toBe(4);
  });

  it('is off with DEDUPLICATE_QUERIES=off', async () => {
    graph = await startDistrictGraph({ ...settings, DEDUPLICATE_QUERIES: 'off' });
    const authorization = `Bearer ${await graph.token()}`;
    const { noteCalls } = await concurrently([1, 2, 3].map(() => ({ body: NOTE_QUERY, authorization })));
    expect(noteCalls).toBe(3);
  });
});
