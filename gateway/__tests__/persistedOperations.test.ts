import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOperationManifest, sha256 } from '../plugins/persistedOperations/operationManifest';
import { startDistrictGraph, type DistrictGraph } from './districtGraph';

const PUBLISHED_OPERATIONS = /* GraphQL */ `
  # The card a coordinator sees for a district.
  query DistrictCard($id: ID!) {
    district(id: $id) { ...DistrictName note }
  }

  mutation AddNote($districtId: ID!, $text: String!) {
    addNote(districtId: $districtId, text: $text)
  }

  fragment DistrictName on District { id name }
`;

const manifest = buildOperationManifest([{ name: 'districts.graphql', text: PUBLISHED_OPERATIONS }]);
const districtCard = manifest.operations.find((operation) => operation.name === 'DistrictCard');
if (!districtCard) throw new Error('DistrictCard is missing from the manifest');

const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const EXPECTED_CARD = { data: { district: { id: 'd1', name: 'Les Tilleuls', note: 'Note on d1' } } };

let manifestDirectory: string;
const running: DistrictGraph[] = [];

async function start(env: NodeJS.ProcessEnv = {}): Promise<DistrictGraph> {
  const graph = await startDistrictGraph(env);
  running.push(graph);
  return graph;
}

function safelistEnv(manifestFile = 'manifest.json'): NodeJS.ProcessEnv {
  return { OPERATION_SAFELIST: 'on', OPERATION_MANIFEST_PATH: path.join(manifestDirectory, manifestFile) };
}

beforeAll(() => {
  manifestDirectory = mkdtempSync(path.join(tmpdir(), 'operation-manifest-'));
  writeFileSync(path.join(manifestDirectory, 'manifest.json'), JSON.stringify(manifest));
});

afterAll(() => rmSync(manifestDirectory, { recursive: true, force: true }));

afterEach(() => Promise.all(running.splice(0).map((graph) => graph.close())));

describe('automatic persisted queries (APQ)', () => {
  it('answers PersistedQueryNotFound to an unknown hash, registers the text, then runs the hash alone', async () => {
    const graph = await start();
    const query = 'query Names { districts { name } }';
    const extensions = persisted(sha256(query));

    const unknown = await graph.post({ extensions });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors).toMatchObject([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    const registered = await graph.post({ query, extensions });
    expect(registered.body).toEqual({ data: { districts: [{ name: 'Les Tilleuls' }, { name: 'La Source' }] } });

    const byHash = await graph.post({ extensions });
    expect(byHash.body).toEqual(registered.body);
  });

  it('refuses a hash that does not match the text', async () => {
    const graph = await start();
    const response = await graph.post({ query: '{ districts { name } }', extensions: persisted(sha256('{ districts { id } }')) });
    expect(response.status).toBe(400);
  });
});

describe('safelist mode (OPERATION_SAFELIST=on)', () => {
  let graph: DistrictGraph;

  beforeEach(async () => {
    graph = await start(safelistEnv());
  });

  it('runs a published operation sent as text, however it is formatted', async () => {
    const reformatted = `
      fragment DistrictName on District { id
        name }
      query DistrictCard($id: ID!) { district(id: $id) { ...DistrictName, note } }`;
    expect((await graph.post({ query: reformatted, variables: { id: 'd1' } })).body).toEqual(EXPECTED_CARD);
  });

  it('runs a published operation sent as its manifest hash alone (trusted documents)', async () => {
    const response = await graph.post({ extensions: persisted(districtCard.hash), variables: { id: 'd1' } });
    expect(response.body).toEqual(EXPECTED_CARD);
  });

  it('refuses any other operation with OPERATION_NOT_IN_SAFELIST and 400, calling no subgraph', async () => {
    const response = await graph.post({ query: 'query DistrictCard($id: ID!) { district(id: $id) { id name note neighbours { id } } }', variables: { id: 'd1' } });
    expect(response.status).toBe(400);
    expect(response.body.errors).toMatchObject([
      { extensions: { code: 'OPERATION_NOT_IN_SAFELIST', requestId: response.headers.get('x-request-id') } },
    ]);
    expect(graph.districts.calls()).toBe(0);
  });

  it('does not let APQ register an operation that is not published', async () => {
    const query = '{ districts { id } }';
    const registering = await graph.post({ query, extensions: persisted(sha256(query)) });
    expect(registering.body.errors).toMatchObject([{ extensions: { code: 'OPERATION_NOT_IN_SAFELIST' } }]);
    const byHash = await graph.post({ extensions: persisted(sha256(query)) });
    expect(byHash.body.errors).toMatchObject([{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
  });
});

describe('without safelist mode (the default)', () => {
  it('runs any valid operation', async () => {
    const graph = await start();
    expect((await graph.post({ query: '{ districts { id } }' })).body).toEqual({ data: { districts: [{ id: 'd1' }, { id: 'd2' }] } });
  });
});

it('refuses to start in safelist mode without a readable manifest', async () => {
  await expect(start(safelistEnv('missing.json'))).rejects.toThrow(/operation manifest .*missing\.json cannot be read/);
});
