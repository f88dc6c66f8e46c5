import { getIntrospectionQuery } from 'graphql';
import { startDistrictGraph, type DistrictGraph, type GatewayResponse } from './districtGraph';

let graph: DistrictGraph;

afterEach(() => graph.close());

function expectRefused(response: GatewayResponse, code: string, message: string): void {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toMatchObject([{ message, extensions: { code, requestId: response.headers.get('x-request-id') } }]);
}

/** `{ district { neighbours { … { id } } } }` with `depth` levels of fields. */
function nested(depth: number): string {
  let selection = 'id';
  for (let level = 2; level < depth; level += 1) selection = `neighbours { ${selection} }`;
  return `{ district(id: "d1") { ${selection} } }`;
}

describe('operation limits', () => {
  beforeEach(async () => {
    // The estimated cost has its own tests (test/security/demandControl); here it stays out of the way.
    graph = await startDistrictGraph({
      MAX_QUERY_DEPTH: '4',
      MAX_ALIASES: '2',
      MAX_SELECTIONS: '10',
      MAX_QUERY_COST: String(Number.MAX_SAFE_INTEGER),
    });
  });

  it('refuse an operation deeper than MAX_QUERY_DEPTH, before calling any subgraph', async () => {
    expect((await graph.post({ query: nested(4) })).status).toBe(200);
    const calls = graph.districts.calls();
    expectRefused(
      await graph.post({ query: nested(5) }),
      'QUERY_TOO_DEEP',
      'The operation nests fields 5 levels deep; at most 4 are allowed.',
    );
    expect(graph.districts.calls()).toBe(calls);
  });

  it('refuse more aliases than MAX_ALIASES', async () => {
    const withAliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `d${index}: district(id: "d1") { id }`).join(' ')} }`;
    expect((await graph.post({ query: withAliases(2) })).status).toBe(200);
    expectRefused(await graph.post({ query: withAliases(3) }), 'TOO_MANY_ALIASES', 'The operation uses 3 aliases; at most 2 are allowed.');
  });

  it('refuse more selections than MAX_SELECTIONS, counting each fragment where it is spread', async () => {
    const fragment = 'fragment Card on District { id name neighbours { id } }';
    // districts (1) + Card (4) + neighbours (1) + Card (4) = 10 selections.
    const atLimit = `{ districts { ...Card neighbours { ...Card } } } ${fragment}`;
    expect((await graph.post({ query: atLimit })).status).toBe(200);
    const overLimit = `{ districts { ...Card neighbours { ...Card id } } } ${fragment}`;
    expectRefused(
      await graph.post({ query: overLimit }),
      'QUERY_TOO_COMPLEX',
      'The operation selects 11 fields (each fragment counted where it is used); at most 10 are allowed.',
    );
  });

  it('do not count introspection, which GraphiQL needs outside production', async () => {
    // 15 levels deep and over 200 selections.
    const response = await graph.post({ query: getIntrospectionQuery() });
    expect(response.status).toBe(200);
  });
});

describe('batched requests', () => {
  const batchOf = (size: number) => Array.from({ length: size }, () => ({ query: '{ district(id: "d1") { name } }' }));

  it('are refused by default', async () => {
    graph = await startDistrictGraph();
    const response = await graph.post(batchOf(2));
    expect(response.status).toBe(400);
    expect(response.body.errors).toMatchObject([{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('are accepted up to MAX_BATCH_SIZE operations, and refused beyond with BATCH_TOO_LARGE', async () => {
    graph = await startDistrictGraph({ MAX_BATCH_SIZE: '2' });
    const atLimit = await graph.post(batchOf(2));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body).toEqual([{ data: { district: { name: 'Les Tilleuls' } } }, { data: { district: { name: 'Les Tilleuls' } } }]);

    const calls = graph.districts.calls();
    expectRefused(
      await graph.post(batchOf(3)),
      'BATCH_TOO_LARGE',
      'The request batches 3 operations; at most 2 are allowed in one request.',
    );
    expect(graph.districts.calls()).toBe(calls);
  });
});

describe('request body size', () => {
  it('is limited by MAX_BODY_BYTES: 413 beyond, served at the limit', async () => {
    graph = await startDistrictGraph({ MAX_BODY_BYTES: '200' });
    const bodyOf = (bytes: number) => {
      const base = JSON.stringify({ query: '{ district(id: "d1") { name } }', variables: { pad: '' } });
      return base.replace('"pad":""', `"pad":"${'x'.repeat(bytes - base.length)}"`);
    };
    expect(Buffer.byteLength(bodyOf(200))).toBe(200);
    expect((await graph.post(bodyOf(200))).status).toBe(200);
    const over = await graph.post(bodyOf(201));
    expect(over.status).toBe(413);
    expect(over.body.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST', requestId: over.headers.get('x-request-id') } }]);
  });
});
