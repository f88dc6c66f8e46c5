import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { buildOperationManifest, loadOperationManifest, normalisedOperation, sha256 } from '../operationManifest';

const ACTIONS = {
  name: 'actions.graphql',
  text: /* GraphQL */ `
    # Comments and layout are not part of an operation.
    query Action($id: ID!) {
      action(id: $id) { ...ActionDetails }
    }
    fragment ActionDetails on NeighbourhoodAction { id title district { ...DistrictName } }
  `,
};
const DISTRICTS = {
  name: 'districts.graphql',
  text: /* GraphQL */ `
    fragment DistrictName on District { id name }
    query Districts { districts { ...DistrictName } }
  `,
};

describe('buildOperationManifest', () => {
  it('gives each named operation its normalised body, with the fragments it uses from any file, and that body’s hash', () => {
    const manifest = buildOperationManifest([ACTIONS, DISTRICTS]);
    expect(manifest.format).toBe('quartier-commun-operations');
    expect(manifest.operations.map((operation) => operation.name)).toEqual(['Action', 'Districts']);
    const [action] = manifest.operations;
    expect(action?.body).toBe(
      [
        'query Action($id: ID!) {\n  action(id: $id) {\n    ...ActionDetails\n  }\n}',
        'fragment ActionDetails on NeighbourhoodAction {\n  id\n  title\n  district {\n    ...DistrictName\n  }\n}',
        'fragment DistrictName on District {\n  id\n  name\n}',
      ].join('\n\n'),
    );
    expect(action?.hash).toBe(sha256(action?.body ?? ''));
  });

  it('is stable whatever the layout, comments or order of the files', () => {
    const reformatted = { name: 'all.graphql', text: DISTRICTS.text + ACTIONS.text.replace(/\s+/g, ' ').replace('# Comments and layout are not part of an operation.', '') };
    expect(buildOperationManifest([reformatted])).toEqual(buildOperationManifest([ACTIONS, DISTRICTS]));
  });

  it('refuses anonymous operations and duplicate names', () => {
    expect(() => buildOperationManifest([{ name: 'a.graphql', text: '{ districts { id } }' }])).toThrow(/a\.graphql: every operation needs a name/);
    expect(() => buildOperationManifest([DISTRICTS, DISTRICTS])).toThrow(/the fragment name DistrictName is used twice/);
  });
});

describe('normalisedOperation', () => {
  it('leaves out definitions the operation does not use', () => {
    const document = parse('query A { districts { id } } fragment Unused on District { id }');
    const operation = document.definitions[0];
    if (operation?.kind !== 'OperationDefinition') throw new Error('expected an operation');
    expect(normalisedOperation(operation, () => undefined)).toBe('query A {\n  districts {\n    id\n  }\n}');
  });
});

describe('loadOperationManifest', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'manifest-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  function write(name: string, content: unknown): string {
    const file = path.join(directory, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
  }

  it('reads a manifest written by buildOperationManifest', () => {
    const manifest = buildOperationManifest([DISTRICTS]);
    expect(loadOperationManifest(write('good.json', manifest))).toEqual(manifest);
  });

  it('refuses a manifest edited by hand so that a body no longer matches its hash', () => {
    const manifest = buildOperationManifest([DISTRICTS]);
    const [districts] = manifest.operations;
    if (!districts) throw new Error('expected an operation');
    districts.body = districts.body.replace('name', 'name siren');
    expect(() => loadOperationManifest(write('edited.json', manifest))).toThrow(/Districts has a hash that does not match its body/);
  });

  it('refuses a file that is not a manifest', () => {
    expect(() => loadOperationManifest(write('other.json', { operations: [] }))).toThrow(/is not an operation manifest/);
  });
});
