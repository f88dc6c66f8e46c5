import { type TestGraph, TEST_ADMIN, dataOf } from '../support/testGraph';

/** RPLS files for the import tests, written the way landlords' tools write them: `;`, text in quotes. */

/** The columns of a 2024 file (DEPCOM, PLG_QP24: the QN… codes). */
export const HEADER_2024 = [
  'IDENTLOGT',
  'DEPCOM',
  'CODEPOSTAL',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'ETAGE',
  'QPV_CODE',
  'PLG_QP24',
  'TYPECONST_CODE',
  'NBPIECE',
  'SURFHAB',
  'CONSTRUCT',
  'FINAN_CODE',
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'X',
  'Y',
];

/** The columns of an older file (DEPCOM_CODE, PLG_QP15: the QP… codes of 2015), in another order. */
export const HEADER_OLDER = [
  'DEPCOM_CODE',
  'CODEPOSTAL',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'IDENTLOGT',
  'ETAGE',
  'QPV_CODE',
  'PLG_QP15',
  'TYPECONST_CODE',
  'NBPIECE',
  'SURFHAB',
  'CONSTRUCT',
  'FINAN_CODE',
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'X',
  'Y',
];

export type RplsValues = Record<string, string>;

/** A dwelling row of the Mirail, overridable column by column. */
export function dwellingRow(overrides: RplsValues): RplsValues {
  return {
    DEPCOM: '31555',
    DEPCOM_CODE: '31555',
    CODEPOSTAL: '31100',
    NUMVOIE: '12',
    INDREP: '',
    TYPVOIE: 'Allée',
    NOMVOIE: 'de Bellefontaine',
    ETAGE: '2',
    QPV_CODE: '1',
    TYPECONST_CODE: 'C',
    NBPIECE: '3',
    SURFHAB: '64,5',
    CONSTRUCT: '1968',
    FINAN_CODE: '13',
    DPEDATE: '03/2021',
    DPEENERGIE: 'D',
    DPESERRE: 'E',
    X: '572000',
    Y: '6277000',
    ...overrides,
  };
}

const NUMERIC = /^-?\d+([.,]\d+)?$/;

/** The file's text: the header, then each row's values in the header's order (text quoted, numbers bare). */
export function rplsCsv(header: readonly string[], rows: readonly RplsValues[]): string {
  const value = (text: string) => (text === '' || NUMERIC.test(text) ? text : `"${text.replace(/"/g, '""')}"`);
  return [header.join(';'), ...rows.map((row) => header.map((column) => value(row[column] ?? '')).join(';'))].join('\r\n') + '\r\n';
}

let sequence = 0;

/** A fresh landlord and district (QN… and QP… codes both), registered through the graph as an admin. */
export async function registerImportTarget(
  graph: TestGraph,
): Promise<{ landlordId: string; districtId: string; qpvCode: string; legacyQpvCode: string }> {
  sequence += 1;
  const qpvCode = `QN${String(sequence).padStart(6, '0')}`;
  const legacyQpvCode = `QP${String(31_000 + sequence).padStart(6, '0')}`;
  const landlord = await graph.request<{ registerLandlord: { id: string } }>(
    'mutation ($input: RegisterLandlordInput!) { registerLandlord(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input: { name: `Bailleur ${sequence}`, family: 'OPH' } } },
  );
  const district = await graph.request<{ registerDistrict: { id: string } }>(
    'mutation ($input: RegisterDistrictInput!) { registerDistrict(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input: { name: `Quartier ${sequence}`, communeCodes: ['31555'], qpvCode, legacyQpvCode } } },
  );
  return { landlordId: dataOf(landlord).registerLandlord.id, districtId: dataOf(district).registerDistrict.id, qpvCode, legacyQpvCode };
}
