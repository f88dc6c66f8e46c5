import { graphClient } from '../../scripts/graphClient';
import { RplsFileRefused } from '../../scripts/rpls/errors';
import { type RplsImportReport, importRpls } from '../../scripts/rpls/importRpls';
import type { DistrictSelection } from '../../scripts/rpls/rows';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';
import { type RplsValues, dwellingRow, registerImportTarget, rplsCsv } from './rplsFiles';
import {
  PUBLISHED_2023,
  PUBLISHED_2025,
  PUBLISHED_BEFORE_GEOLOCATION,
  landlordExtract,
  mirailRows,
  regionalHeader,
  regionalRow,
} from './rplsYears';

const DISTRICT_STOCK = `
  query DistrictStock($id: ID!) {
    district(id: $id) {
      stock { dwellings buildings byFinancing { financing count } }
      buildings(first: 20) { nodes { id address { label } dwellingCount } }
    }
  }`;

interface DistrictStock {
  district: {
    stock: { dwellings: number; buildings: number; byFinancing: { financing: string | null; count: number }[] };
    buildings: { nodes: { id: string; address: { label: string }; dwellingCount: number }[] };
  };
}

type Target = Awaited<ReturnType<typeof registerImportTarget>>;

describe('RPLS files of every generation', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  const importFile = async (target: Target, text: string, selection?: DistrictSelection): Promise<RplsImportReport> =>
    importRpls(graphClient(graph.gatewayUrl, await graph.token(TEST_ADMIN)), {
      landlordId: target.landlordId,
      districtId: target.districtId,
      bytes: Buffer.from(text, 'utf8'),
      strict: false,
      selection,
    });

  const stockOf = async (districtId: string) =>
    dataOf(await graph.request<DistrictStock>(DISTRICT_STOCK, { caller: TEST_ADMIN, variables: { id: districtId } })).district;

  const MIRAIL_FINANCING = [
    { financing: 'HLM_O', count: 2 },
    { financing: 'ILM_ILN', count: 1 },
    { financing: 'PLAI', count: 1 },
    { financing: 'PLUS', count: 1 },
  ];

  const MIRAIL_ADDRESSES = ['12 allée de Bellefontaine', '5 rue de la Reynerie'];

  const generations: {
    year: string;
    published: string[];
    columns: number;
    qpv: (target: Target, inDistrict: boolean) => RplsValues;
    selection?: DistrictSelection;
    regional?: boolean;
  }[] = [
    {
      year: 'before geolocation (41 columns: QPV flag only, no coordinates)',
      published: PUBLISHED_BEFORE_GEOLOCATION,
      columns: 41,
      qpv: () => ({ QPV: '1' }),
      selection: { addresses: MIRAIL_ADDRESSES },
    },
    {
      year: '2023 (71 columns, DEPCOM_CODE, PLG_QP)',
      published: PUBLISHED_2023,
      columns: 71,
      qpv: (target, inside) => ({ PLG_QP: inside ? target.legacyQpvCode : 'QP031099', QPV_CODE: '1' }),
    },
    {
      year: '2025 (DEPCOM, PLG_QP24 and PLG_QP15)',
      published: PUBLISHED_2025,
      columns: 71,
      qpv: (target, inside) => ({
        PLG_QP24: inside ? target.qpvCode : 'QN03199Z',
        PLG_QP15: inside ? target.legacyQpvCode : 'QP031099',
        QPV_CODE: '1',
      }),
    },
    {
      year: '2025, regional spelling (_red)',
      published: regionalHeader(PUBLISHED_2025),
      columns: 71,
      qpv: (target, inside) => ({ PLG_QP24: inside ? target.qpvCode : 'QN03199Z', QPV_CODE: '1' }),
      regional: true,
    },
  ];

  it.each(generations)('refuses the $year file as published, which names no dwelling', async ({ published, columns }) => {
    const target = await registerImportTarget(graph);
    expect(published).toHaveLength(columns);
    expect(new Set(published).size).toBe(columns);

    await expect(
      importFile(
        target,
        rplsCsv(
          published,
          mirailRows(() => ({})),
        ),
        { allInDistrict: true },
      ),
    ).rejects.toThrow('The file lacks a required column: IDENTLOGT or IDENT_INT or IDENT_REP (the dwelling identifier).');
  });

  it.each(generations)(
    "imports a landlord's extract of the $year file of the Mirail: its district's rows, by BAN address, with the old financing families",
    async ({ published, qpv, selection, regional }) => {
      const target = await registerImportTarget(graph);
      const rows = mirailRows((inside) => qpv(target, inside)).map((row) => (regional ? regionalRow(row) : row));
      const header = landlordExtract(published).map((column) => (regional && column === 'IDENT_INT' ? 'IDENT_INT_red' : column));

      const report = await importFile(target, rplsCsv(header, rows), selection);

      expect(report).toMatchObject({
        rowsRead: 6,
        rowsOutsideDistrict: 1,
        buildings: { created: 2, updated: 0, unchanged: 0 },
        dwellings: { created: 5, updated: 0, unchanged: 0 },
        skippedRows: [],
      });
      const district = await stockOf(target.districtId);
      expect(district.stock).toMatchObject({ dwellings: 5, buildings: 2 });
      expect(district.stock.byFinancing).toEqual(MIRAIL_FINANCING);
      expect(district.buildings.nodes.map((building) => building.address.label).sort()).toEqual([
        '12 Allée DE BELLEFONTAINE',
        '5 Rue DE LA REYNERIE',
      ]);
    },
  );

  it('reports a row with one stray separator by its line, instead of counting it as another QPV', async () => {
    const target = await registerImportTarget(graph);
    const rows = mirailRows((inside) => ({ PLG_QP: inside ? target.legacyQpvCode : 'QP031099' }));
    const lines = rplsCsv(landlordExtract(PUBLISHED_2023), rows).split('\r\n');
    // Line 5 (MIR-004): a ';' typed into the street name gives the row 73 fields (the 71 published, the identifier, one more).
    lines[4] = lines[4]!.replace('"DE LA REYNERIE"', '"DE LA";"REYNERIE"');

    const report = await importFile(target, lines.join('\r\n'));

    expect(report.rowsOutsideDistrict).toBe(1);
    expect(report.skippedRows).toContainEqual({
      line: 5,
      reason: "The row has 73 fields where the header has 72 (a stray ';' or quote?).",
    });
    // Its columns are shifted, so its address ("5 Rue DE LA") is its own: the rows around it are imported.
    expect(report.dwellings.created).toBe(4);
  });

  it('refuses a landlord submission without a QPV column unless the caller names the addresses or takes all in the district', async () => {
    const target = await registerImportTarget(graph);
    const header = landlordExtract(PUBLISHED_2023).filter((column) => column !== 'PLG_QP' && column !== 'QPV_CODE');
    // The landlord's own file covers the commune: a "hors QPV" row of Lestang among them.
    const text = rplsCsv(
      header,
      mirailRows(() => ({})),
    );

    await expect(importFile(target, text)).rejects.toBeInstanceOf(RplsFileRefused);
    expect(await graph.db.collection('dwellings').countDocuments({ districtId: target.districtId })).toBe(0);

    const named = await importFile(target, text, { addresses: MIRAIL_ADDRESSES });
    expect(named).toMatchObject({ rowsOutsideDistrict: 1, dwellings: { created: 5 } });

    const all = await importFile(target, text, { allInDistrict: true });
    expect(all).toMatchObject({ rowsOutsideDistrict: 0, dwellings: { created: 1, unchanged: 5 } });
  });

  it('finds a registered building under every spelling of its address and never rewrites its label', async () => {
    const target = await registerImportTarget(graph);
    const registered = await graph.request<{ registerBuilding: { id: string } }>(
      'mutation ($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id } }',
      {
        caller: TEST_ADMIN,
        variables: {
          input: {
            landlordId: target.landlordId,
            districtId: target.districtId,
            address: { number: '12', streetType: 'allée', streetName: 'de Bellefontaine', communeCode: '31555' },
          },
        },
      },
    );
    const buildingId = dataOf(registered).registerBuilding.id;
    const row = (overrides: RplsValues) => dwellingRow({ IDENT_INT: 'BEL-1', PLG_QP24: target.qpvCode, NUMVOIE: '12', ...overrides });

    for (const spelling of [
      { TYPVOIE: 'ALL', NOMVOIE: 'DE BELLEFONTAINE' },
      { TYPVOIE: 'ALLEE', NOMVOIE: 'DE BELLEFONTAINE' },
      { TYPVOIE: '', NOMVOIE: 'ALL DE BELLEFONTAINE' },
    ]) {
      const report = await importFile(target, rplsCsv(landlordExtract(PUBLISHED_2025), [row(spelling)]));
      expect(report.buildings.created).toBe(0);
      const district = await stockOf(target.districtId);
      expect(district.buildings.nodes).toEqual([{ id: buildingId, address: { label: '12 allée de Bellefontaine' }, dwellingCount: 1 }]);
    }
  });
});
