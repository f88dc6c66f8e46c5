import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, parse } from 'graphql';
import { canonicalOperation, loadPersistedDocuments, sha256 } from '../plugins/persistedOperations';
import { startDistrictGraph, type DistrictGraph } from './districtGraph';

const PUBLISHED_OPERATIONS = /* GraphQL */ `
  # The card a coordinator sees for a district.
  query DistrictCard($id: ID!) {
    district(id: $id) {
      ...DistrictName
      note
    }
  }

  mutation AddNote($districtId: ID!, $text: String!) {
    addNote(districtId: $districtId, text: $text)
  }

  fragment DistrictName on District {
    id
    name
  }
`;

/**
 * What graphql-codegen's client preset writes as persisted-documents.json for these operations: each operation with
 * the fragments it uses, in graphql-tools' canonical print, keyed by `sha256:` and the hash of that text.
 */
const published = parse(PUBLISHED_OPERATIONS);
const fragment = published.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)!;
const [cardBody, noteBody] = published.definitions
  .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
  .map((operation, index) =>
    printExecutableGraphQLDocument({ kind: Kind.DOCUMENT, definitions: index === 0 ? [operation, fragment] : [operation] }),
  );
const persistedDocuments = Object.fromEntries([cardBody!, noteBody!].map((body) => [`sha256:${sha256(body)}`, body]));
const districtCard = { hash: sha256(cardBody!) };

const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const EXPECTED_CARD = { data: { district: { id: 'd1', name: 'Les Tilleuls', note: 'Note on d1' } } };

let manifestDirectory: string;
const running: DistrictGraph[] = [];

async function start(env: NodeJS.ProcessEnv = {}): Promise<DistrictGraph> {
  const graph = await startDistrictGraph(env);
  running.push(graph);
  return graph;
}

function safelistEnv(manifestFile = 'persisted-documents.json'): NodeJS.ProcessEnv {
  return { OPERATION_SAFELIST: 'on', OPERATION_MANIFEST_PATH: path.join(manifestDirectory, manifestFile) };
}

beforeAll(() => {
  manifestDirectory = mkdtempSync(path.join(tmpdir(), 'persisted-documents-'));
  writeFileSync(path.join(manifestDirectory, 'persisted-documents.json'), JSON.stringify(persistedDocuments));
  writeFileSync(path.join(manifestDirectory, 'tampered.json'), JSON.stringify({ [`sha256:${sha256(cardBody!)}`]: noteBody }));
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

  it('runs a published operation sent as its hash alone (trusted documents)', async () => {
    const response = await graph.post({ extensions: persisted(districtCard.hash), variables: { id: 'd1' } });
    expect(response.body).toEqual(EXPECTED_CARD);
  });

  it('refuses any other operation with OPERATION_NOT_IN_SAFELIST and 400, calling no subgraph', async () => {
    const response = await graph.post({
      query: 'query DistrictCard($id: ID!) { district(id: $id) { id name note neighbours { id } } }',
      variables: { id: 'd1' },
    });
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

it('refuses to start in safelist mode without readable persisted documents, or with a document that does not match its hash', async () => {
  await expect(start(safelistEnv('missing.json'))).rejects.toThrow(/persisted documents .*missing\.json cannot be read/);
  await expect(start(safelistEnv('tampered.json'))).rejects.toThrow(/does not match its sha256 hash/);
});

it("recognises every operation of the project's own persisted documents (npm run codegen) as published", () => {
  const documents = loadPersistedDocuments(path.resolve(__dirname, '../../client/generated/persisted-documents.json'));
  const recognised = [...documents.values()].flatMap((body) => {
    const document = parse(body);
    return document.definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
        ? [[definition.name?.value, documents.has(sha256(canonicalOperation(document, definition)))]]
        : [],
    );
  });
  expect(recognised).toEqual(
    expect.arrayContaining([
      ['DistrictDashboard', true],
      ['PartnerSearch', true],
      ['TfpbReport', true],
    ]),
  );
  expect(recognised.every(([, listed]) => listed)).toBe(true);
});
