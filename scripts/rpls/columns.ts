import { RplsFileRefused } from './errors';

/**
 * The columns the import reads, each under the names seen in RPLS files over the years (matched without
 * regard to case and to the `_red` suffix of the regional files, e.g. DEPCOM_red, NOMVOIE_red, nbpiece_red;
 * the first name present wins).
 *
 * The dwelling's identifier is required. The public RPLS extract has none (it is anonymised), so the import
 * takes a landlord's own extract, which carries it: IDENTLOGT (the name our stored dwellings document), else
 * IDENT_INT (the landlord's internal identifier) or IDENT_REP (the identifier in the répertoire). No key is
 * made up from the address, floor or position of a row: a reordered or corrected file would then delete and
 * recreate dwellings instead of updating them, and importing twice would no longer change nothing.
 *
 * QPV_CODE is only a 0/1 flag ("in a QPV"), never the QPV's identifier: that is in PLG_QP24 (2024 codes,
 * QN…), PLG_QP or PLG_QP15 (2015 codes, QP…).
 */
const COLUMN_NAMES = {
  reference: ['IDENTLOGT', 'IDENT_INT', 'IDENT_REP'],
  communeCode: ['DEPCOM', 'DEPCOM_CODE'],
  postcode: ['CODEPOSTAL'],
  number: ['NUMVOIE'],
  repetition: ['INDREP'],
  streetType: ['TYPVOIE'],
  streetName: ['NOMVOIE'],
  floor: ['ETAGE'],
  constructionType: ['TYPECONST_CODE', 'TYPECONST'],
  rooms: ['NBPIECE'],
  surface: ['SURFHAB'],
  constructionYear: ['CONSTRUCT'],
  financing: ['FINAN_CODE', 'FINAN'],
  dpeDate: ['DPEDATE'],
  energyClass: ['DPEENERGIE'],
  x: ['X'],
  y: ['Y'],
} as const satisfies Record<string, readonly string[]>;

/** The regional statistics services' files suffix their column names with `_red`. */
const REGIONAL_SUFFIX = /_RED$/;

/** Every generation of the QPV identifier a file may carry; a file may hold several. */
const QPV_ID_COLUMNS = ['PLG_QP24', 'PLG_QP', 'PLG_QP15'] as const;

export type RplsField = keyof typeof COLUMN_NAMES;

const REQUIRED: { field: RplsField; meaning: string }[] = [
  { field: 'reference', meaning: 'the dwelling identifier' },
  { field: 'communeCode', meaning: 'the commune' },
  { field: 'streetName', meaning: 'the street name' },
  { field: 'rooms', meaning: 'the number of rooms' },
];

/** Where each field is in the file's records, and under which name (for messages that point at the file). */
export interface RplsColumns {
  width: number;
  fields: Partial<Record<RplsField, { index: number; name: string }>>;
  qpvIds: { index: number; name: string }[];
}

/** Matches a header against the known names; refuses a file lacking a required column, naming every one missing. */
export function matchColumns(header: readonly string[]): RplsColumns {
  // Each known name → where it is and how the file spells it (in capitals), for messages that point at the file.
  const positions = new Map<string, { index: number; name: string }>();
  header.forEach((name, index) => {
    const written = name.trim().toUpperCase();
    const known = written.replace(REGIONAL_SUFFIX, '');
    if (!positions.has(known)) positions.set(known, { index, name: written });
  });
  const find = (names: readonly string[]) => {
    const name = names.find((candidate) => positions.has(candidate));
    return name === undefined ? undefined : positions.get(name)!;
  };

  const fields: RplsColumns['fields'] = {};
  for (const field of Object.keys(COLUMN_NAMES) as RplsField[]) {
    const column = find(COLUMN_NAMES[field]);
    if (column) fields[field] = column;
  }
  const missing = REQUIRED.filter(({ field }) => !fields[field]).map(
    ({ field, meaning }) => `${COLUMN_NAMES[field].join(' or ')} (${meaning})`,
  );
  if (missing.length > 0) {
    throw new RplsFileRefused(`The file lacks ${missing.length === 1 ? 'a required column' : 'required columns'}: ${missing.join('; ')}.`);
  }
  const qpvIds = QPV_ID_COLUMNS.flatMap((name) => (positions.has(name) ? [positions.get(name)!] : []));
  return { width: header.length, fields, qpvIds };
}

/** The trimmed value of `field` in a record; empty when the file has no such column. */
export function cellOf(cells: readonly string[], columns: RplsColumns, field: RplsField): string {
  const column = columns.fields[field];
  return column ? (cells[column.index] ?? '').trim() : '';
}

/** The column name a message about `field` should use: the file's own. */
export function columnName(columns: RplsColumns, field: RplsField): string {
  return columns.fields[field]?.name ?? COLUMN_NAMES[field][0];
}
