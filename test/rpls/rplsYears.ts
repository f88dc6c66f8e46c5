import { type RplsValues, dwellingRow } from './rplsFiles';

/**
 * The published RPLS data model ("données détaillées au logement du répertoire des logements locatifs des
 * bailleurs sociaux", SDES) in three generations, column for column in the published order. Each header below
 * says where it was read; where no published list of a whole year was found, it says which part is inferred.
 *
 * The public file is anonymised: it has no dwelling identifier, and the import needs one (see
 * scripts/rpls/columns.ts). A landlord's extract of the same model carries its own identifier, IDENT_INT, in
 * front of the published columns: `landlordExtract` writes that file.
 */

/**
 * 2023 (1 January 2023), 71 columns, the public file the SDES publishes as datafile f3c2f2cb-8fb1-40fd-8733-964247744c9a,
 * https://www.statistiques.developpement-durable.gouv.fr/catalogue?page=datafile&datafileRid=f3c2f2cb-8fb1-40fd-8733-964247744c9a
 * Read from:
 * - the first eleven, in order (REG_CODE … EPCI_LIBELLE, DROIT_CODE, DROIT_LIBELLE, DEPCOM_CODE, DEPCOM_LIBELLE,
 *   CODEPOSTAL): the "Modèle de données" of an open-data portal republishing "Données détaillées au logement du
 *   répertoire des logements locatifs des bailleurs sociaux (RPLS) (2023)" (the copy found does not record its
 *   address, and stops after these);
 * - the last forty, in order (CONV … ZE2020): the column list of a published analysis of that file for the
 *   Hauts-de-France (RPLS au 1er janvier 2023, données publiques), which names the datafile above;
 * - the twenty between (address, QPV, dwelling, financing): the names and order of the same groups in a loader
 *   of the 2025 file, which are the columns the first and last parts leave out; with them the count is the
 *   published 71, but their order inside the file was not read from a published list of 2023.
 * The QPV identifier is PLG_QP (the 2015 QP… codes); QPV_CODE is only "in a QPV or not".
 */
export const PUBLISHED_2023 = [
  'REG_CODE',
  'REG_LIBELLE',
  'DEP_CODE',
  'DEP_LIBELLE',
  'EPCI_CODE',
  'EPCI_LIBELLE',
  'DROIT_CODE',
  'DROIT_LIBELLE',
  'DEPCOM_CODE',
  'DEPCOM_LIBELLE',
  'CODEPOSTAL',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'ETAGE',
  'COMPLGEO',
  'LIEUDIT',
  'QPV_CODE',
  'QPV_LIBELLE',
  'TYPECONST_CODE',
  'TYPECONST_LIBELLE',
  'NBPIECE',
  'SURFHAB',
  'CONSTRUCT',
  'LOCAT',
  'PATRIMOINE',
  'ORIGINE',
  'FINAN_CODE',
  'FINAN_LIBELLE',
  'FINANAUTRE',
  'CONV',
  'NUMCONV',
  'DATCONV',
  'NEWLOGT_CODE',
  'NEWLOGT_LIBELLE',
  'CUS',
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'SRU_EXPIR',
  'SRU_ALINEA',
  'CODSEGPATRIM',
  'LIBSEGPATRIM',
  'PMR_CODE',
  'PMR_LIBELLE',
  'PLG_VOIE',
  'EPSG',
  'X',
  'Y',
  'PLG_QP',
  'PLG_IRIS2022_CODE',
  'PLG_IRIS2022_LIBELLE',
  'PLG_ZUS',
  'PLG_ZFU',
  'PLG_QVA',
  'QUALITE_VOIE',
  'QUALITE_NUMERO',
  'QUALITE_XY',
  'DISTANCE_PRECISION',
  'QUALITE_QP',
  'QUALITE_IRIS',
  'QUALITE_ZUS',
  'QUALITE_ZFU',
  'QUALITE_QVA',
  'COMAQP',
  'COMAZUS',
  'COMIRIS',
  'UU2020',
  'AAV2020',
  'ZE2020',
];

/**
 * The public file before geolocation, 41 columns: DEPCOM, FINAN, TYPECONST, the QPV only as a flag (QPV), no
 * QPV identifier and no coordinates. Read, in order, from a public script that loads the national file column
 * by column into a table (the script does not date it; the files of the late 2010s have this layout, before
 * the X, Y and PLG_ columns came).
 */
export const PUBLISHED_BEFORE_GEOLOCATION = [
  'DROIT',
  'DEPCOM',
  'CODEPOSTAL',
  'LIBCOM',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'NUMAPPT',
  'NUMBOITE',
  'ESC',
  'COULOIR',
  'ETAGE',
  'COMPLIDENT',
  'ENTREE',
  'BAT',
  'IMMEU',
  'COMPLGEO',
  'LIEUDIT',
  'QPV',
  'TYPECONST',
  'NBPIECE',
  'SURFHAB',
  'CONSTRUCT',
  'LOCAT',
  'PATRIMOINE',
  'ORIGINE',
  'FINAN',
  'FINANAUTRE',
  'CONV',
  'NUMCONV',
  'DATCONV',
  'NEWLOGT',
  'CUS',
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'SRU_EXPIR',
  'SRU_ALINEA',
  'CODSEGPATRIM',
  'LIBSEGPATRIM',
];

/**
 * 2025 (1 January 2025): the 2023 model with the changes the 2025 loaders read: the commune as DEPCOM and
 * LIBCOM, both generations of the QPV identifier (PLG_QP24 holds the 2024 QN… codes, PLG_QP15 the 2015 ones)
 * and their quality columns, the 2024 IRIS, no ZFU. A loader of the 2025 file counts 73 columns; these are the
 * 71 found named, in the order of the 2023 file: two are missing from what was found.
 */
export const PUBLISHED_2025 = PUBLISHED_2023.flatMap((column): string[] => {
  const renamed: Record<string, string[]> = {
    DEPCOM_CODE: ['DEPCOM'],
    DEPCOM_LIBELLE: ['LIBCOM'],
    PLG_QP: ['PLG_QP24', 'PLG_QP15'],
    PLG_IRIS2022_CODE: ['PLG_IRIS2024_CODE'],
    PLG_IRIS2022_LIBELLE: ['PLG_IRIS2024_LIBELLE'],
    PLG_ZFU: [],
    QUALITE_QP: ['QUALITE_QP24', 'QUALITE_QP15'],
    QUALITE_ZFU: [],
  };
  return renamed[column] ?? [column];
});

/** A landlord's extract of a published layout: its own dwelling identifier, then the published columns. */
export function landlordExtract(published: readonly string[]): string[] {
  return ['IDENT_INT', ...published];
}

/** A regional statistics service's spelling of a file: every column suffixed `_red`, in any case. */
export function regionalHeader(header: readonly string[]): string[] {
  return header.map(regionalName);
}

/** The same row for a header whose columns are spelled the regional way. */
export function regionalRow(row: RplsValues): RplsValues {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [regionalName(column), value]));
}

function regionalName(column: string): string {
  return column === 'NBPIECE' ? 'nbpiece_red' : `${column}_red`;
}

/**
 * Dwellings of the Mirail as one landlord's file gives them, of the 1970s stock (HLM/O, ILN) and of the renewal
 * (PLAI, PLUS): five in the district's QPV, at two addresses, and one of another QPV. Each column is written
 * under the names of every generation (FINAN_CODE and FINAN…): a file takes those of its header.
 */
export function mirailRows(qpv: (inDistrict: boolean) => RplsValues): RplsValues[] {
  const bellefontaine = { NUMVOIE: '12', TYPVOIE: 'ALL', NOMVOIE: 'DE BELLEFONTAINE', CONSTRUCT: '1971' };
  const reynerie = { NUMVOIE: '5', TYPVOIE: 'R', NOMVOIE: 'DE LA REYNERIE', CONSTRUCT: '2012', DPEENERGIE: 'B' };
  const row = (values: RplsValues & { IDENT_INT: string; FINAN_CODE: string }) =>
    dwellingRow({ LIBCOM: 'Toulouse', DEPCOM_LIBELLE: 'Toulouse', EPSG: '2154', TYPECONST: 'C', FINAN: values.FINAN_CODE, ...values });
  return [
    row({ ...bellefontaine, ...qpv(true), IDENT_INT: 'MIR-001', FINAN_CODE: '52', ETAGE: '0' }),
    row({ ...bellefontaine, ...qpv(true), IDENT_INT: 'MIR-002', FINAN_CODE: '52', ETAGE: '1', NBPIECE: '4' }),
    row({ ...bellefontaine, ...qpv(true), IDENT_INT: 'MIR-003', FINAN_CODE: '54', ETAGE: '2', NBPIECE: '5' }),
    row({ ...reynerie, ...qpv(true), IDENT_INT: 'MIR-004', FINAN_CODE: '10' }),
    row({ ...reynerie, ...qpv(true), IDENT_INT: 'MIR-005', FINAN_CODE: '13', NBPIECE: '2' }),
    row({ NUMVOIE: '8', TYPVOIE: 'CHE', NOMVOIE: 'DE LESTANG', ...qpv(false), IDENT_INT: 'MIR-900', FINAN_CODE: '14' }),
  ];
}
