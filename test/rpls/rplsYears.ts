import { type RplsValues, dwellingRow } from './rplsFiles';

/**
 * RPLS file layouts of three generations, as landlords' extracts of the published RPLS data model carry them
 * (identifiers kept, which the public extract anonymises). Only the columns' names and order matter to the
 * import; every column the import does not read is written empty or with a plausible value.
 */

/** 2019: DEPCOM_CODE, the 2015 QPV identifier in PLG_QP (QP… codes). */
export const HEADER_2019 = [
  'REG_CODE',
  'DEP_CODE',
  'DEPCOM_CODE',
  'LIBCOM',
  'IDENTLOGT',
  'IDENT_REP',
  'CODEPOSTAL',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'NUMAPPT',
  'NUMBOITE',
  'ETAGE',
  'ESC',
  'COULOIR',
  'IMMEU',
  'COMPLIDENT',
  'LIEUDIT',
  'TYPECONST_CODE',
  'NBPIECE',
  'SURFHAB',
  'CONSTRUCT',
  'LOCAT',
  'PATRIMOINE',
  'ORIGINE',
  'FINAN_CODE',
  'FINANAUTRE',
  'CONV',
  'NUMCONV',
  'DATCONV',
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'QPV_CODE',
  'PLG_QP',
  'X',
  'Y',
];

/** 2023: 71 columns, DEPCOM, the 2015 QPV identifier in PLG_QP15. */
export const HEADER_2023 = [
  'REG_CODE',
  'REG_LIBELLE',
  'DEP_CODE',
  'DEP_LIBELLE',
  'EPCI_CODE',
  'EPCI_LIBELLE',
  'DEPCOM',
  'LIBCOM',
  'IDENTLOGT',
  'IDENT_REP',
  'IDENT_INT',
  'CODEPOSTAL',
  'NUMVOIE',
  'INDREP',
  'TYPVOIE',
  'NOMVOIE',
  'NUMAPPT',
  'NUMBOITE',
  'ETAGE',
  'ESC',
  'COULOIR',
  'IMMEU',
  'COMPLIDENT',
  'LIEUDIT',
  'CPLGEO',
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
  'DPEDATE',
  'DPEENERGIE',
  'DPESERRE',
  'LOYERPRINC',
  'LOYERACC',
  'CONTRESLOG',
  'MODE_CODE',
  'MODE_LIBELLE',
  'REMLOCDATE',
  'BAIL',
  'SORTIEPATRIM',
  'CUS',
  'SRU_EXPIR',
  'SRU_ALINEA',
  'CODSEGPATRIM',
  'LIBSEGPATRIM',
  'DROIT_CODE',
  'DROIT_LIBELLE',
  'PMR',
  'NEWLOGT',
  'OLDLOGT',
  'LOGTRAV',
  'QPV_CODE',
  'PLG_QP15',
  'PLG_IRIS',
  'QUALITE_XY',
  'EPSG',
  'PROPRIETAIRE',
  'GESTIONNAIRE',
  'SIRET_PROPRIETAIRE',
  'X',
  'Y',
];

/** 2024 and after: DEPCOM, both generations of the QPV identifier (PLG_QP24 holds the QN… codes). */
export const HEADER_2024_FULL = [
  ...HEADER_2023.filter((column) => column !== 'PLG_QP15' && column !== 'X' && column !== 'Y'),
  'PLG_QP15',
  'PLG_QP24',
  'X',
  'Y',
];

/** A regional statistics service's spelling of the 2024 file: every column suffixed `_red`, in any case. */
export const HEADER_2024_REGIONAL = HEADER_2024_FULL.map((column) => (column === 'NBPIECE' ? 'nbpiece_red' : `${column}_red`));

/** The same row for a header whose columns are spelled the regional way. */
export function regionalRow(row: RplsValues): RplsValues {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column === 'NBPIECE' ? 'nbpiece_red' : `${column}_red`, value]));
}

/**
 * Dwellings of the Mirail as one landlord's file gives them, of the 1970s stock (HLM/O, ILN) and of the renewal
 * (PLAI, PLUS): five in the district's QPV, at two addresses, and one of another QPV.
 */
export function mirailRows(qpv: (inDistrict: boolean) => RplsValues): RplsValues[] {
  const bellefontaine = { NUMVOIE: '12', TYPVOIE: 'ALL', NOMVOIE: 'DE BELLEFONTAINE', CONSTRUCT: '1971' };
  const reynerie = { NUMVOIE: '5', TYPVOIE: 'R', NOMVOIE: 'DE LA REYNERIE', CONSTRUCT: '2012', DPEENERGIE: 'B' };
  return [
    dwellingRow({ ...bellefontaine, ...qpv(true), IDENTLOGT: 'MIR-001', FINAN_CODE: '52', ETAGE: '0' }),
    dwellingRow({ ...bellefontaine, ...qpv(true), IDENTLOGT: 'MIR-002', FINAN_CODE: '52', ETAGE: '1', NBPIECE: '4' }),
    dwellingRow({ ...bellefontaine, ...qpv(true), IDENTLOGT: 'MIR-003', FINAN_CODE: '54', ETAGE: '2', NBPIECE: '5' }),
    dwellingRow({ ...reynerie, ...qpv(true), IDENTLOGT: 'MIR-004', FINAN_CODE: '10' }),
    dwellingRow({ ...reynerie, ...qpv(true), IDENTLOGT: 'MIR-005', FINAN_CODE: '13', NBPIECE: '2' }),
    dwellingRow({ NUMVOIE: '8', TYPVOIE: 'CHE', NOMVOIE: 'DE LESTANG', ...qpv(false), IDENTLOGT: 'MIR-900', FINAN_CODE: '14' }),
  ];
}
