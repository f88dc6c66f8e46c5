import proj4 from 'proj4';
import type { Caller } from '../../lib/auth/caller';
import { GraphRequestError, graphClient } from '../../scripts/graphClient';
import { RplsFileRefused } from '../../scripts/rpls/errors';
import type { DwellingDocument } from '../../subgraphs/housing/model';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { type RplsImportReport, importRpls } from '../../scripts/rpls/importRpls';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';
import { HEADER_2024, HEADER_OLDER, type RplsValues, dwellingRow, registerImportTarget, rplsCsv } from './rplsFiles';

const DISTRICT_IMPORT = `
  query DistrictImport($id: ID!) {
    district(id: $id) {
      stock {
        dwellings
        buildings
        byFinancing { financing count }
        byEnergyClass { energyClass count }
      }
      buildings(first: 100) {
        totalCount
        nodes {
          address { label streetName postcode communeCode }
          location { latitude longitude }
          constructionYear
          dwellingCount
          dwellings(first: 50) { nodes { rooms surface floor financing energyClass constructionType } }
        }
      }
    }
  }`;

interface DistrictImport {
  district: {
    stock: {
      dwellings: number;
      buildings: number;
      byFinancing: { financing: string | null; count: number }[];
      byEnergyClass: { energyClass: string | null; count: number }[];
    };
    buildings: {
      totalCount: number;
      nodes: {
        address: { label: string; streetName: string; postcode: string | null; communeCode: string };
        location: { latitude: number; longitude: number } | null;
        constructionYear: number | null;
        dwellingCount: number;
        dwellings: {
          nodes: {
            rooms: number;
            surface: number | null;
            floor: number | null;
            financing: string | null;
            energyClass: string | null;
            constructionType: string | null;
          }[];
        };
      }[];
    };
  };
}

const IMPORT_BUILDINGS = `
  mutation ($landlordId: ID!, $districtId: ID!, $buildings: [ImportedBuildingInput!]!) {
    importBuildings(landlordId: $landlordId, districtId: $districtId, buildings: $buildings) { buildings { created } }
  }`;

describe('RPLS import', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  async function districtImport(districtId: string): Promise<DistrictImport['district']> {
    return dataOf(await graph.request<DistrictImport>(DISTRICT_IMPORT, { caller: TEST_ADMIN, variables: { id: districtId } })).district;
  }

  /** Every stored building and dwelling, audit trails included, to tell whether anything at all was written. */
  async function housingSnapshot(): Promise<unknown> {
    const all = (name: string) => graph.db.collection(name).find({}).sort({ _id: 1 }).toArray();
    return { buildings: await all('buildings'), dwellings: await all('dwellings') };
  }

  /** Imports through the graph, as `npm run import:rpls` does, as an admin unless told otherwise. */
  async function importFile(
    target: { landlordId: string; districtId: string },
    text: string | Buffer,
    strict = false,
    caller: Caller = TEST_ADMIN,
  ): Promise<RplsImportReport> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    return importRpls(graphClient(graph.gatewayUrl, await graph.token(caller)), {
      landlordId: target.landlordId,
      districtId: target.districtId,
      bytes,
      strict,
    });
  }

  async function refusalOf(pending: Promise<unknown>): Promise<RplsFileRefused> {
    const error = await pending.then(
      () => {
        throw new Error('expected the file to be refused');
      },
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RplsFileRefused);
    return error as RplsFileRefused;
  }

  it('imports a 2024 file (DEPCOM, PLG_QP24) into buildings by address, as the district stock shows', async () => {
    const target = await registerImportTarget(graph);
    const rows: RplsValues[] = [
      dwellingRow({ IDENTLOGT: 'TMH-0001', PLG_QP24: target.qpvCode, ETAGE: '0', FINAN_CODE: '10', DPEENERGIE: 'C' }),
      dwellingRow({ IDENTLOGT: 'TMH-0002', PLG_QP24: target.qpvCode, ETAGE: '1', NBPIECE: '4', FINAN_CODE: '13' }),
      dwellingRow({ IDENTLOGT: 'TMH-0003', PLG_QP24: target.qpvCode, ETAGE: '2', NBPIECE: '2', FINAN_CODE: '14', DPEDATE: '01/1900' }),
      dwellingRow({
        IDENTLOGT: 'TMH-0004',
        PLG_QP24: target.qpvCode,
        NUMVOIE: '5',
        TYPVOIE: 'Rue',
        NOMVOIE: 'de la Reynerie',
        CONSTRUCT: '1972',
        X: '571200',
        Y: '6276300',
      }),
      dwellingRow({
        IDENTLOGT: 'TMH-0005',
        PLG_QP24: target.qpvCode,
        NUMVOIE: '5',
        TYPVOIE: 'Rue',
        NOMVOIE: 'de la Reynerie',
        CONSTRUCT: '1972',
        X: '571210',
        Y: '6276310',
        FINAN_CODE: '99',
      }),
      // Another QPV of the same landlord: left aside.
      dwellingRow({ IDENTLOGT: 'TMH-9001', PLG_QP24: 'QN03199Z', NOMVOIE: 'des Arènes' }),
    ];

    const report = await importFile(target, rplsCsv(HEADER_2024, rows));

    expect(report).toMatchObject({
      rowsRead: 6,
      rowsOutsideDistrict: 1,
      buildings: { created: 2, updated: 0, unchanged: 0 },
      dwellings: { created: 5, updated: 0, unchanged: 0 },
      skippedBuildings: [],
      skippedRows: [],
    });
    const district = await districtImport(target.districtId);
    expect(district.stock).toMatchObject({ dwellings: 5, buildings: 2 });
    expect(district.stock.byFinancing).toEqual([
      { financing: 'OTHER', count: 1 },
      { financing: 'PLAI', count: 1 },
      { financing: 'PLS', count: 1 },
      { financing: 'PLUS', count: 2 },
    ]);
    expect(district.stock.byEnergyClass).toEqual([
      { energyClass: 'C', count: 1 },
      { energyClass: 'D', count: 3 },
      { energyClass: null, count: 1 },
    ]);
    expect(district.buildings.totalCount).toBe(2);
    const bellefontaine = district.buildings.nodes.find((building) => building.address.streetName === 'de Bellefontaine')!;
    expect(bellefontaine).toMatchObject({
      address: { label: '12 Allée de Bellefontaine', postcode: '31100', communeCode: '31555' },
      constructionYear: 1968,
      dwellingCount: 3,
    });
    expect(bellefontaine.dwellings.nodes).toContainEqual({
      rooms: 3,
      surface: 64.5,
      floor: 0,
      financing: 'PLAI',
      energyClass: 'C',
      constructionType: 'COLLECTIVE',
    });
  });

  it('imports an older file (DEPCOM_CODE, PLG_QP15) by the district’s 2015 code', async () => {
    const target = await registerImportTarget(graph);
    const rows = [
      dwellingRow({ IDENTLOGT: 'GDC-1', PLG_QP15: target.legacyQpvCode }),
      dwellingRow({ IDENTLOGT: 'GDC-2', PLG_QP15: target.legacyQpvCode, NUMVOIE: '14' }),
    ];

    const report = await importFile(target, rplsCsv(HEADER_OLDER, rows));

    expect(report).toMatchObject({ rowsRead: 2, rowsOutsideDistrict: 0, buildings: { created: 2 }, dwellings: { created: 2 } });
    const district = await districtImport(target.districtId);
    expect(district.stock).toMatchObject({ dwellings: 2, buildings: 2 });
    expect(district.buildings.totalCount).toBe(2);
  });

  it('reads a Latin-1 file with its accents intact', async () => {
    const target = await registerImportTarget(graph);
    const text = rplsCsv(HEADER_2024, [
      dwellingRow({
        IDENTLOGT: 'PSL-1',
        PLG_QP24: target.qpvCode,
        NUMVOIE: '3',
        INDREP: 'bis',
        TYPVOIE: 'Allée',
        NOMVOIE: 'de Bellefontaine',
      }),
      dwellingRow({ IDENTLOGT: 'PSL-2', PLG_QP24: target.qpvCode, NUMVOIE: '1', TYPVOIE: 'Place', NOMVOIE: "de l'Église Saint-Exupéry" }),
    ]);

    await importFile(target, Buffer.from(text, 'latin1'));

    const labels = (await districtImport(target.districtId)).buildings.nodes.map((building) => building.address.label).sort();
    expect(labels).toEqual(["1 Place de l'Église Saint-Exupéry", '3 bis Allée de Bellefontaine']);
  });

  it('refuses a file missing NBPIECE and the street name, naming both, and writes nothing', async () => {
    const target = await registerImportTarget(graph);
    const header = HEADER_2024.filter((column) => column !== 'NBPIECE' && column !== 'NOMVOIE');
    const before = await housingSnapshot();

    const refusal = await refusalOf(importFile(target, rplsCsv(header, [dwellingRow({ IDENTLOGT: 'X-1', PLG_QP24: target.qpvCode })])));

    expect(refusal.message).toContain('NBPIECE');
    expect(refusal.message).toContain('NOMVOIE');
    expect(await housingSnapshot()).toEqual(before);
  });

  it('skips bad rows, reporting them by line, and never half a building', async () => {
    const target = await registerImportTarget(graph);
    const rows = [
      dwellingRow({ IDENTLOGT: 'A-1', PLG_QP24: target.qpvCode }), // line 2
      dwellingRow({ IDENTLOGT: 'A-2', PLG_QP24: target.qpvCode, NBPIECE: 'trois' }), // line 3: bad
      dwellingRow({ IDENTLOGT: 'A-3', PLG_QP24: target.qpvCode }), // line 4: same building as the bad row
      dwellingRow({ IDENTLOGT: 'B-1', PLG_QP24: target.qpvCode, NUMVOIE: '20' }), // line 5
      dwellingRow({ IDENTLOGT: 'C-1', PLG_QP24: target.qpvCode, NUMVOIE: '30', SURFHAB: '-3' }), // line 6: bad, alone
    ];

    const report = await importFile(target, rplsCsv(HEADER_2024, rows));

    expect(report.buildings).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.dwellings).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.skippedBuildings.map((building) => [building.address, building.lines])).toEqual([
      ['12 Allée de Bellefontaine, 31555', [2, 3, 4]],
      ['30 Allée de Bellefontaine, 31555', [6]],
    ]);
    expect(report.skippedRows).toEqual([
      { line: 2, reason: 'Skipped with its building (12 Allée de Bellefontaine, 31555): line 3 cannot be imported.' },
      { line: 3, reason: 'NBPIECE must be a whole number, not "trois".' },
      { line: 4, reason: 'Skipped with its building (12 Allée de Bellefontaine, 31555): line 3 cannot be imported.' },
      { line: 6, reason: 'SURFHAB must be a surface in m², above 0 and under 1,000, not "-3".' },
    ]);
    const district = await districtImport(target.districtId);
    expect(district.stock).toMatchObject({ dwellings: 1, buildings: 1 });
    expect(district.buildings.nodes.map((building) => building.address.label)).toEqual(['20 Allée de Bellefontaine']);
  });

  it('with --strict refuses the whole file for one bad row and writes nothing', async () => {
    const target = await registerImportTarget(graph);
    const rows = [
      dwellingRow({ IDENTLOGT: 'S-1', PLG_QP24: target.qpvCode }),
      dwellingRow({ IDENTLOGT: 'S-2', PLG_QP24: target.qpvCode, NUMVOIE: '40' }),
      dwellingRow({ IDENTLOGT: 'S-3', PLG_QP24: target.qpvCode, NUMVOIE: '50', ETAGE: 'haut' }),
    ];
    const before = await housingSnapshot();

    const refusal = await refusalOf(importFile(target, rplsCsv(HEADER_2024, rows), true));

    expect(refusal.problems).toEqual([{ line: 4, reason: 'ETAGE must be a whole number, not "haut".' }]);
    expect(await housingSnapshot()).toEqual(before);
    expect((await districtImport(target.districtId)).stock).toMatchObject({ dwellings: 0, buildings: 0 });
  });

  it('changes nothing, audit trails included, when the same file is imported again; then updates only what changed', async () => {
    const target = await registerImportTarget(graph);
    const rows = [
      dwellingRow({ IDENTLOGT: 'I-1', PLG_QP24: target.qpvCode }),
      dwellingRow({ IDENTLOGT: 'I-2', PLG_QP24: target.qpvCode, ETAGE: '3' }),
      dwellingRow({ IDENTLOGT: 'I-3', PLG_QP24: target.qpvCode, NUMVOIE: '7', TYPVOIE: 'Chemin', NOMVOIE: 'du Mirail' }),
    ];
    const file = rplsCsv(HEADER_2024, rows);
    await importFile(target, file);
    const afterFirst = await housingSnapshot();

    const again = await importFile(target, file);

    expect(again.buildings).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.dwellings).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(await housingSnapshot()).toEqual(afterFirst);

    const corrected = rplsCsv(HEADER_2024, [rows[0]!, { ...rows[1]!, NBPIECE: '5' }, rows[2]!]);
    const beforeUpdate = Date.now();
    const update = await importFile(target, corrected);

    expect(update.buildings).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(update.dwellings).toEqual({ created: 0, updated: 1, unchanged: 2 });
    const dwellings = graph.db.collection<DwellingDocument>(COLLECTIONS.dwellings);
    const changed = await dwellings.findOne({ landlordId: target.landlordId, reference: 'I-2' });
    const untouched = await dwellings.findOne({ landlordId: target.landlordId, reference: 'I-1' });
    expect(changed).toMatchObject({ rooms: 5 });
    expect(changed!.audit.updatedAt.getTime()).toBeGreaterThanOrEqual(beforeUpdate);
    expect(untouched!.audit.updatedAt).toEqual(untouched!.audit.createdAt);
  });

  it('turns Lambert-93 X/Y into WGS84 latitude and longitude', async () => {
    const target = await registerImportTarget(graph);
    await importFile(
      target,
      rplsCsv(HEADER_2024, [dwellingRow({ IDENTLOGT: 'G-1', PLG_QP24: target.qpvCode, X: '572000', Y: '6277000' })]),
    );

    const [building] = (await districtImport(target.districtId)).buildings.nodes;

    // EPSG:2154 written out here, independently of the import's own definition.
    const epsg2154 = '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +units=m +no_defs';
    const [longitude, latitude] = proj4<[number, number]>(epsg2154, 'EPSG:4326', [572000, 6277000]);
    expect(Math.abs(building!.location!.latitude - latitude)).toBeLessThan(1e-6);
    expect(Math.abs(building!.location!.longitude - longitude)).toBeLessThan(1e-6);
    // Le Mirail, south-west of Toulouse.
    expect(building!.location!.latitude).toBeGreaterThan(43.55);
    expect(building!.location!.latitude).toBeLessThan(43.6);
    expect(building!.location!.longitude).toBeGreaterThan(1.38);
    expect(building!.location!.longitude).toBeLessThan(1.43);
  });

  it('leaves out a building the landlord has in another district; with --strict that refuses the file, writing nothing', async () => {
    const first = await registerImportTarget(graph);
    const second = await registerImportTarget(graph);
    await importFile(first, rplsCsv(HEADER_2024, [dwellingRow({ IDENTLOGT: 'M-1', PLG_QP24: first.qpvCode, NUMVOIE: '60' })]));
    const sameLandlord = { landlordId: first.landlordId, districtId: second.districtId };
    const rows = [
      dwellingRow({ IDENTLOGT: 'M-2', PLG_QP24: second.qpvCode, NUMVOIE: '61' }), // line 2
      dwellingRow({ IDENTLOGT: 'M-3', PLG_QP24: second.qpvCode, NUMVOIE: '60' }), // line 3: the first district's building
    ];
    const before = await housingSnapshot();

    const refusal = await refusalOf(importFile(sameLandlord, rplsCsv(HEADER_2024, rows), true));

    expect(refusal.problems).toEqual([{ line: 3, reason: expect.stringContaining(`belongs to district ${first.districtId}`) }]);
    expect(await housingSnapshot()).toEqual(before);

    const report = await importFile(sameLandlord, rplsCsv(HEADER_2024, rows));

    expect(report.buildings).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.skippedBuildings.map((building) => [building.address, building.lines])).toEqual([
      ['60 Allée de Bellefontaine, 31555', [3]],
    ]);
  });

  it("lets a landlord's staff import its own stock in its districts, and no other landlord's", async () => {
    const target = await registerImportTarget(graph);
    await importFile(target, rplsCsv(HEADER_2024, [dwellingRow({ IDENTLOGT: 'O-1', PLG_QP24: target.qpvCode, NUMVOIE: '70' })]));
    const other = await registerImportTarget(graph);
    const file = rplsCsv(HEADER_2024, [dwellingRow({ IDENTLOGT: 'O-2', PLG_QP24: target.qpvCode, NUMVOIE: '71' })]);
    const staff: Caller = { role: 'LANDLORD_STAFF', sub: 'staff', landlordId: target.landlordId };
    const otherStaff: Caller = { role: 'LANDLORD_STAFF', sub: 'other-staff', landlordId: other.landlordId };
    const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator', districtIds: [target.districtId] };
    const codesOf = (pending: Promise<unknown>) =>
      pending.then(
        () => ['imported'],
        (error: unknown) => (error instanceof GraphRequestError ? error.codes : [String(error)]),
      );
    const before = await housingSnapshot();

    // Another landlord, which this staff may not see, is as unknown to it as one that does not exist.
    expect(await codesOf(importFile(target, file, false, otherStaff))).toEqual([
      `RplsTargetNotFound: No landlord has the id ${target.landlordId}.`,
    ]);
    // So is a district where the staff's landlord has no buildings.
    expect(await codesOf(importFile({ landlordId: other.landlordId, districtId: target.districtId }, file, false, otherStaff))).toEqual([
      `RplsTargetNotFound: No district has the id ${target.districtId}.`,
    ]);
    // The mutation itself, called past the command's own checks, refuses alike.
    const building = {
      address: { number: '72', streetName: 'de Bellefontaine', communeCode: '31555' },
      dwellings: [{ reference: 'O-3', rooms: 3 }],
    };
    const direct = (landlordId: string) =>
      graph.request(IMPORT_BUILDINGS, {
        caller: otherStaff,
        variables: { landlordId, districtId: target.districtId, buildings: [building] },
      });
    expect((await direct(target.landlordId)).errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await direct(other.landlordId)).errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await codesOf(importFile(target, file, false, coordinator))).toEqual(['FORBIDDEN']);
    expect(await housingSnapshot()).toEqual(before);

    const report = await importFile(target, file, false, staff);
    expect(report.dwellings).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });
});
