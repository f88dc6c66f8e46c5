import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { districtsCollection } from '../../subgraphs/housing/data/districts';
import { landlordsCollection } from '../../subgraphs/housing/data/landlords';
import { runScript } from '../support/runScript';
import { type TestGraph, startTestGraph } from '../support/testGraph';
import { HEADER_2024, dwellingRow, rplsCsv } from './rplsFiles';

const AUDIT = { createdAt: new Date(), createdBy: 'cli-test', updatedAt: new Date(), updatedBy: 'cli-test' };

const runImportCli = (args: string[], env: Record<string, string>) => runScript('scripts/import-rpls.ts', args, env);

/** The command as a newcomer runs it: against a running graph, no token given (the development admin token). */
describe('npm run import:rpls', () => {
  let graph: TestGraph;
  let db: Db;
  let workDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    graph = await startTestGraph();
    db = graph.db;
    // The landlord and district an admin would have registered.
    await landlordsCollection(db).insertOne({
      _id: 'landlord-cli',
      name: 'Toulouse Métropole Habitat',
      family: 'OPH',
      siren: null,
      audit: AUDIT,
    });
    await districtsCollection(db).insertOne({
      _id: 'district-cli',
      name: 'Grand Mirail',
      communeCodes: ['31555'],
      qpvCode: 'QN03107M',
      legacyQpvCode: 'QP031007',
      audit: AUDIT,
    });
    workDir = mkdtempSync(path.join(tmpdir(), 'rpls-cli-'));
    // As after `npm start`: the gateway's URL, the development secret, no token and no database named.
    env = { QC_GRAPHQL_URL: graph.gatewayUrl, QC_TOKEN: '', JWT_SECRET: '', JWT_JWKS_URL: '', NODE_ENV: 'development', MONGODB_URI: '' };
  });

  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await graph.close();
  });

  function writeFile(name: string, text: string): string {
    const file = path.join(workDir, name);
    writeFileSync(file, text);
    return file;
  }

  const goodFile = () =>
    writeFile(
      'good.csv',
      rplsCsv(HEADER_2024, [
        dwellingRow({ IDENTLOGT: 'CLI-1', PLG_QP24: 'QN03107M' }),
        dwellingRow({ IDENTLOGT: 'CLI-2', PLG_QP24: 'QN03107M', ETAGE: '4' }),
        dwellingRow({ IDENTLOGT: 'CLI-3', PLG_QP24: 'QN03107M', NUMVOIE: '9', NOMVOIE: 'de la Reynerie', TYPVOIE: 'Rue' }),
        dwellingRow({ IDENTLOGT: 'CLI-4', PLG_QP24: 'QN03107M', NUMVOIE: '11', NBPIECE: '' }),
      ]),
    );

  it('imports a file, prints the summary, and exits 0; a second run changes nothing', async () => {
    const file = goodFile();
    const first = await runImportCli(['--landlord', 'landlord-cli', '--district', 'district-cli', file], env);

    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Imported');
    expect(first.stdout).toContain('for Toulouse Métropole Habitat into Grand Mirail.');
    expect(first.stdout).toContain('Rows read: 4\n');
    expect(first.stdout).toContain('Buildings: 2 created, 0 updated, 0 unchanged\n');
    expect(first.stdout).toContain('Dwellings: 3 created, 0 updated, 0 unchanged\n');
    expect(first.stdout).toContain('Buildings skipped: 1\n  11 Allée de Bellefontaine, 31555 (lines 5)\n');
    expect(first.stdout).toContain('Rows skipped: 1\n  line 5: NBPIECE must not be empty.\n');
    expect(await db.collection('dwellings').countDocuments({ landlordId: 'landlord-cli' })).toBe(3);

    const second = await runImportCli(['--landlord', 'landlord-cli', '--district', 'district-cli', file], env);

    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Buildings: 0 created, 0 updated, 2 unchanged\n');
    expect(second.stdout).toContain('Dwellings: 0 created, 0 updated, 3 unchanged\n');
  }, 60_000);

  it('exits 1 and lists the bad rows when --strict refuses the file', async () => {
    const before = await db.collection('dwellings').countDocuments();
    const file = writeFile(
      'strict.csv',
      rplsCsv(HEADER_2024, [
        dwellingRow({ IDENTLOGT: 'CLI-9', PLG_QP24: 'QN03107M', NUMVOIE: '90' }),
        dwellingRow({ IDENTLOGT: 'CLI-10', PLG_QP24: 'QN03107M', SURFHAB: 'grand' }),
      ]),
    );

    const result = await runImportCli(['--strict', '--landlord', 'landlord-cli', '--district', 'district-cli', file], env);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('1 row cannot be imported; with --strict nothing was written.');
    expect(result.stderr).toContain('line 3: SURFHAB must be a surface in m², above 0 and under 1,000, not "grand".');
    expect(await db.collection('dwellings').countDocuments()).toBe(before);
  }, 60_000);

  it('exits 1 naming the missing columns of a refused file', async () => {
    const file = writeFile('columns.csv', 'IDENTLOGT;DEPCOM;NUMVOIE\n"A";31555;1\n');

    const result = await runImportCli(['--landlord', 'landlord-cli', '--district', 'district-cli', file], env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('NOMVOIE (the street name); NBPIECE (the number of rooms)');
  }, 60_000);

  it('refuses a file without a QPV column (exit 1) unless --all-in-district or --address says which rows to take', async () => {
    const header = HEADER_2024.filter((column) => column !== 'PLG_QP24' && column !== 'QPV_CODE');
    const file = writeFile(
      'no-qpv.csv',
      rplsCsv(header, [
        dwellingRow({ IDENTLOGT: 'NOQPV-1', NUMVOIE: '70' }),
        dwellingRow({ IDENTLOGT: 'NOQPV-2', NUMVOIE: '72', TYPVOIE: 'CHE', NOMVOIE: 'DE LESTANG' }),
      ]),
    );
    const base = ['--landlord', 'landlord-cli', '--district', 'district-cli'];

    const refused = await runImportCli([...base, file], env);
    const named = await runImportCli([...base, '--address', '70 ALL DE BELLEFONTAINE', file], env);
    const all = await runImportCli([...base, '--all-in-district', file], env);
    const both = await runImportCli([...base, '--all-in-district', '--address', '70 allée de Bellefontaine', file], env);

    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('The file has no QPV column');
    expect(named.status).toBe(0);
    expect(named.stdout).toContain('Dwellings: 1 created, 0 updated, 0 unchanged\n');
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('Dwellings: 1 created, 0 updated, 1 unchanged\n');
    expect(both.status).toBe(2);
  }, 60_000);

  it('exits 2 on bad arguments, an unknown landlord, or a missing file', async () => {
    const file = goodFile();
    const noLandlord = await runImportCli(['--district', 'district-cli', file], env);
    const unknownLandlord = await runImportCli(['--landlord', 'nobody', '--district', 'district-cli', file], env);
    const missingFile = await runImportCli(
      ['--landlord', 'landlord-cli', '--district', 'district-cli', path.join(workDir, 'absent.csv')],
      env,
    );

    expect([noLandlord.status, unknownLandlord.status, missingFile.status]).toEqual([2, 2, 2]);
    expect(noLandlord.stderr).toContain('--landlord ID is required.');
    expect(noLandlord.stderr).toContain('Usage: npm run import:rpls');
    expect(unknownLandlord.stderr).toContain('No landlord has the id nobody.');
    expect(missingFile.stderr).toContain('no such file');
  }, 60_000);

  it("goes through the graph with the caller's rights: another landlord's token is refused, nothing written", async () => {
    const before = await db.collection('dwellings').countDocuments();
    const otherStaff = await graph.token({ role: 'LANDLORD_STAFF', sub: 'other', landlordId: 'landlord-other' });

    const result = await runImportCli(['--landlord', 'landlord-cli', '--district', 'district-cli', goodFile()], {
      ...env,
      QC_TOKEN: otherStaff,
    });

    // The graph does not show that landlord to another landlord's staff: as if it did not exist.
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No landlord has the id landlord-cli.');
    expect(await db.collection('dwellings').countDocuments()).toBe(before);
  }, 60_000);

  it('exits 1 and says how to start the graph when nothing answers', async () => {
    const result = await runImportCli(['--landlord', 'landlord-cli', '--district', 'district-cli', goodFile()], {
      ...env,
      QC_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot reach the graph at http://127.0.0.1:9/graphql');
    expect(result.stderr).toContain('npm start');
  }, 60_000);
});
