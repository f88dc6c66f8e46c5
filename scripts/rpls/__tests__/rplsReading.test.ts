import { matchColumns } from '../columns';
import { decodeRplsText } from '../decode';
import { RplsFileRefused } from '../errors';
import { financingFamily } from '../financing';
import { groupByAddress, skippedRowsOf } from '../grouping';
import { type DistrictCodes, type DistrictSelection, type RowReading, readRows } from '../rows';
import { banStreetType, splitStreet, streetLineKey } from '../streetTypes';
import { readRplsTable } from '../table';

const DISTRICT: DistrictCodes = { communeCodes: ['31555'], qpvCode: 'QN03107M', legacyQpvCode: 'QP031007' };
const HEADER =
  'IDENTLOGT;DEPCOM;CODEPOSTAL;NUMVOIE;INDREP;TYPVOIE;NOMVOIE;ETAGE;PLG_QP24;TYPECONST_CODE;NBPIECE;SURFHAB;CONSTRUCT;FINAN_CODE;DPEDATE;DPEENERGIE;X;Y';

function read(
  lines: string[],
  district = DISTRICT,
  header = HEADER,
  selection?: DistrictSelection,
): { readings: RowReading[]; outsideDistrict: number } {
  const table = readRplsTable([header, ...lines].join('\n'));
  return readRows(table.records, matchColumns(table.header), district, selection);
}

/** The header of a landlord's own submission: no QPV column (the statistics service adds it). */
const HEADER_WITHOUT_QPV = HEADER.replace(';PLG_QP24', '');

function refusalOf(action: () => unknown): RplsFileRefused {
  try {
    action();
  } catch (error) {
    if (error instanceof RplsFileRefused) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('decodeRplsText', () => {
  it('reads UTF-8, dropping a byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('NOMVOIE\nAllée', 'utf8')]);
    expect(decodeRplsText(bytes)).toBe('NOMVOIE\nAllée');
  });

  it('falls back to Latin-1 when the bytes are not UTF-8', () => {
    expect(decodeRplsText(Buffer.from('Allée de Bellefontaine', 'latin1'))).toBe('Allée de Bellefontaine');
  });
});

describe('matchColumns', () => {
  it('matches names without regard to case and accepts the aliases of every generation', () => {
    const columns = matchColumns(['identlogt', 'DEPCOM_CODE', 'NomVoie', 'NBPIECE', 'PLG_QP15', 'QPV_CODE', 'PLG_QP24']);
    expect(columns.fields.communeCode).toEqual({ index: 1, name: 'DEPCOM_CODE' });
    expect(columns.fields.streetName).toEqual({ index: 2, name: 'NOMVOIE' });
    // QPV_CODE is a 0/1 flag, never taken for the QPV identifier.
    expect(columns.qpvIds.map((column) => column.name)).toEqual(['PLG_QP24', 'PLG_QP15']);
  });

  it('refuses a header lacking required columns, naming every one', () => {
    const refusal = refusalOf(() => matchColumns(['DEPCOM', 'NUMVOIE', 'SURFHAB']));
    expect(refusal.message).toContain('IDENTLOGT or IDENT_INT or IDENT_REP (the dwelling identifier)');
    expect(refusal.message).toContain('NOMVOIE (the street name)');
    expect(refusal.message).toContain('NBPIECE (the number of rooms)');
    expect(refusal.message).not.toContain('DEPCOM');
  });
});

describe('readRows', () => {
  it('maps RPLS codes to the stored vocabulary', () => {
    const { readings } = read([
      'L1;31555;31100;12;BIS;ALL;de Bellefontaine;3;QN03107M;C;4;"72,5";1968;10;03/2021;d;572000;6277000',
      'L2;31555;31100;12;BIS;ALL;de Bellefontaine;0;QN03107M;I;2;48.1;1968;13;01/1900;C;;',
      'L3;31555;31100;12;BIS;ALL;de Bellefontaine;;QN03107M;E;1;;;14;;H;;',
      'L4;31555;31100;12;BIS;ALL;de Bellefontaine;;QN03107M;X;1;;;16;;;;',
      'L5;31555;31100;12;BIS;ALL;de Bellefontaine;;QN03107M;;1;;;99;;;;',
      'L6;31555;31100;12;BIS;ALL;de Bellefontaine;;QN03107M;;1;;;;;;;',
    ]);
    const rows = readings.map((reading) => (reading.ok ? reading : fail(reading.reason)));
    expect(rows.map((row) => row.dwelling.financing)).toEqual(['PLAI', 'PLUS', 'PLS', 'PLI', 'OTHER', null]);
    expect(rows.map((row) => row.dwelling.energyClass)).toEqual(['D', null, null, null, null, null]);
    expect(rows.map((row) => row.dwelling.constructionType)).toEqual(['COLLECTIVE', 'INDIVIDUAL', 'STUDENT', null, null, null]);
    expect(rows.map((row) => row.dwelling.surface)).toEqual([72.5, 48.1, null, null, null, null]);
    expect(rows.map((row) => row.dwelling.floor)).toEqual([3, 0, null, null, null, null]);
    expect(rows[0]).toMatchObject({
      line: 2,
      address: {
        number: '12',
        repetition: 'BIS',
        streetType: 'Allée',
        streetName: 'de Bellefontaine',
        postcode: '31100',
        communeCode: '31555',
      },
      constructionYear: 1968,
    });
    expect(rows[0]!.location).not.toBeNull();
    expect(rows[1]!.location).toBeNull();
  });

  it('reports each bad row by line with a reason naming the column', () => {
    const { readings } = read([
      'L1;31555;;1;;RUE;Reynerie;2;QN03107M;C;trois;;;;;;;',
      'L2;31555;;1;;RUE;Reynerie;2;QN03107M;C;0;;;;;;;',
      'L3;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;-4;;;;;;',
      'L4;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;1492;;;;;',
      'L5;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;572000;',
      'L6;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;1;2',
      'L7;31069;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;',
      ';31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;',
      'L9;31555;;1;;RUE;;2;QN03107M;C;3;;;;;;;',
      'L10;31555;;1;;RUE;Reynerie;2;QN03107M;C;3',
    ]);
    expect(readings.map((reading) => (reading.ok ? null : [reading.line, reading.reason]))).toEqual([
      [2, 'NBPIECE must be a whole number, not "trois".'],
      [3, 'NBPIECE must be a whole number from 1 to 20.'],
      [4, 'SURFHAB must be a surface in m², above 0 and under 1,000, not "-4".'],
      [5, `CONSTRUCT must be a whole number from 1800 to ${new Date().getFullYear() + 5}.`],
      [6, 'X and Y must both be Lambert-93 coordinates in metres, not "572000" and "".'],
      [7, 'X 1 and Y 2 are outside Lambert-93 (metropolitan France).'],
      [8, 'DEPCOM 31069 is not a commune of the district (31555).'],
      [9, 'IDENTLOGT must not be empty.'],
      [10, 'NOMVOIE must not be empty.'],
      [11, "The row has 11 fields where the header has 18 (a stray ';' or quote?)."],
    ]);
  });

  it('makes every row of a repeated reference bad', () => {
    const { readings } = read(['L1;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;', 'L1;31555;;3;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;']);
    expect(readings.map((reading) => (reading.ok ? null : reading.reason))).toEqual([
      'IDENTLOGT L1 is on lines 2, 3: a dwelling is one row.',
      'IDENTLOGT L1 is on lines 2, 3: a dwelling is one row.',
    ]);
  });

  it('keeps the rows of the district by either generation of its QPV code', () => {
    const { readings, outsideDistrict } = read([
      'L1;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;',
      'L2;31555;;1;;RUE;Reynerie;2;QP031007;C;3;;;;;;;',
      'L3;31555;;1;;RUE;Reynerie;2;QN03199Z;C;3;;;;;;;',
      'L4;31555;;1;;RUE;Reynerie;2;;C;3;;;;;;;',
    ]);
    expect(readings.map((reading) => reading.line)).toEqual([2, 3]);
    expect(outsideDistrict).toBe(2);
  });

  it('restores the leading zero a spreadsheet drops from a commune code', () => {
    const { readings } = read(['L1;1053;1000;1;;RUE;Carriat;2;QN03107M;C;3;;;;;;;'], { ...DISTRICT, communeCodes: ['01053'] });
    expect(readings[0]).toMatchObject({ ok: true, address: { communeCode: '01053', postcode: '01000' } });
  });

  it('counts a quoted value spanning lines from the line its record starts on', () => {
    const { readings } = read([
      'L1;31555;;1;;RUE;"Reynerie\nbis";2;QN03107M;C;3;;;;;;;',
      'L2;31555;;1;;RUE;Reynerie;2;QN03107M;C;x;;;;;;;',
    ]);
    expect(readings.map((reading) => reading.line)).toEqual([2, 4]);
  });
});

describe('readRows: the field count comes before the QPV filter', () => {
  it('reports a row with a stray separator by its line, never as a row of another QPV', () => {
    const { readings, outsideDistrict } = read([
      'L1;31555;;1;;RUE;Reynerie;2;QN03107M;C;3;;;;;;;',
      // A stray ';' in the street name shifts the QPV column: the filter would have read "Reynerie" there.
      'L2;31555;;1;;RUE;Rey;nerie;2;QN03107M;C;3;;;;;;;',
      'L3;31555;;1;;RUE;Reynerie;2;QN03199Z;C;3;;;;;;;',
    ]);
    expect(outsideDistrict).toBe(1);
    expect(readings.map((reading) => (reading.ok ? reading.line : [reading.line, reading.reason]))).toEqual([
      2,
      [3, "The row has 19 fields where the header has 18 (a stray ';' or quote?)."],
    ]);
  });
});

describe('readRows: a file without a QPV column', () => {
  const rows = [
    'L1;31555;;12;;ALL;DE BELLEFONTAINE;2;C;3;;;;;;;',
    'L2;31555;;3;;ALLEE;du Morvan;2;C;3;;;;;;;',
    'L3;31555;;40;;AV;de Lardenne;2;C;3;;;;;;;',
  ];

  it("is refused unless the caller says which rows are the district's", () => {
    const refusal = refusalOf(() => read(rows, DISTRICT, HEADER_WITHOUT_QPV));
    expect(refusal.message).toContain('The file has no QPV column (PLG_QP24, PLG_QP or PLG_QP15)');
    expect(refusal.message).toContain('--all-in-district');
  });

  it('is refused as well when the district has no QPV code to match', () => {
    const refusal = refusalOf(() => read(rows, { ...DISTRICT, qpvCode: null, legacyQpvCode: null }));
    expect(refusal.message).toContain('The district has no QPV code');
  });

  it('takes every row with allInDistrict', () => {
    const { readings, outsideDistrict } = read(rows, DISTRICT, HEADER_WITHOUT_QPV, { allInDistrict: true });
    expect(readings.map((reading) => reading.ok && reading.line)).toEqual([2, 3, 4]);
    expect(outsideDistrict).toBe(0);
  });

  it('takes only the named addresses, in any spelling, and counts the others as outside', () => {
    const { readings, outsideDistrict } = read(rows, DISTRICT, HEADER_WITHOUT_QPV, {
      addresses: ['12 allée de Bellefontaine', '3 ALL. DU MORVAN'],
    });
    expect(readings.map((reading) => reading.ok && reading.line)).toEqual([2, 3]);
    expect(outsideDistrict).toBe(1);
  });

  it('refuses both choices at once', () => {
    const refusal = refusalOf(() =>
      read(rows, DISTRICT, HEADER_WITHOUT_QPV, { allInDistrict: true, addresses: ['12 allée de Bellefontaine'] }),
    );
    expect(refusal.message).toContain('not both');
  });
});

describe('street types', () => {
  it('writes the abbreviations and capitals of the files the way the BAN does', () => {
    const spellings = [
      'ALL',
      'ALLEE',
      'allée',
      'AV',
      'BD',
      'R',
      'CHE',
      'IMP',
      'PL',
      'RTE',
      'SQ',
      'CRS',
      'QU',
      'PASS',
      'RES',
      'CITE',
      'av.',
    ];
    expect(spellings.map(banStreetType)).toEqual([
      'Allée',
      'Allée',
      'Allée',
      'Avenue',
      'Boulevard',
      'Rue',
      'Chemin',
      'Impasse',
      'Place',
      'Route',
      'Square',
      'Cours',
      'Quai',
      'Passage',
      'Résidence',
      'Cité',
      'Avenue',
    ]);
    expect(banStreetType('Montée')).toBe('Montée');
  });

  it('takes the street type out of a name written whole', () => {
    expect(splitStreet(null, 'ALL DE BELLEFONTAINE')).toEqual({ streetType: 'Allée', streetName: 'DE BELLEFONTAINE' });
    expect(splitStreet(null, 'Bellefontaine')).toEqual({ streetType: null, streetName: 'Bellefontaine' });
    expect(splitStreet('BD', 'de Suisse')).toEqual({ streetType: 'Boulevard', streetName: 'de Suisse' });
  });

  it('gives every spelling of one address one key, in a file and on one line', () => {
    const { readings } = read([
      'L1;31555;;12;;ALL;DE BELLEFONTAINE;2;QN03107M;C;3;;;;;;;',
      'L2;31555;;12;;ALLEE;de Bellefontaine;2;QN03107M;C;3;;;;;;;',
      'L3;31555;;12;;;ALL DE BELLEFONTAINE;2;QN03107M;C;3;;;;;;;',
      'L4;31555;;12;;allée;de Bellefontaine;2;QN03107M;C;3;;;;;;;',
    ]);
    const { buildings } = groupByAddress(readings);
    expect(buildings.map((building) => [building.addressKey, building.rows.length])).toEqual([['31555|12||allee|de bellefontaine', 4]]);
    expect(streetLineKey('12 ALL DE BELLEFONTAINE')).toBe(streetLineKey('12 allée de Bellefontaine'));
  });
});

describe('regional column spellings', () => {
  it('accepts the _red suffix in any case and names the column as the file does', () => {
    const columns = matchColumns(['IDENTLOGT', 'DEPCOM_red', 'NOMVOIE_red', 'nbpiece_red', 'PLG_QP24_red']);
    expect(columns.fields.communeCode).toEqual({ index: 1, name: 'DEPCOM_RED' });
    expect(columns.fields.streetName).toEqual({ index: 2, name: 'NOMVOIE_RED' });
    expect(columns.fields.rooms).toEqual({ index: 3, name: 'NBPIECE_RED' });
    expect(columns.qpvIds).toEqual([{ index: 4, name: 'PLG_QP24_RED' }]);
  });
});

describe('financingFamily', () => {
  it('maps every FINAN_CODE of the RPLS data model to its family', () => {
    const codes = ['10', '11', '12', '13', '14', '15', '16', '17', '49', '50', '51', '52', '53', '54', '55', '99'];
    expect(Object.fromEntries(codes.map((code) => [code, financingFamily(code)]))).toEqual({
      '10': 'PLAI',
      '11': 'PLAI',
      '12': 'PLUS',
      '13': 'PLUS',
      '14': 'PLS',
      '15': 'OTHER',
      '16': 'PLI',
      '17': 'OTHER',
      '49': 'OTHER',
      '50': 'HLM_O',
      '51': 'HLM_O',
      '52': 'HLM_O',
      '53': 'ILM_ILN',
      '54': 'ILM_ILN',
      '55': 'OTHER',
      '99': 'OTHER',
    });
  });

  it('reads a code written with a leading zero and files an unknown code under OTHER', () => {
    expect(financingFamily('052')).toBe('HLM_O');
    expect(financingFamily('77')).toBe('OTHER');
    expect(financingFamily('PLAI')).toBe('OTHER');
  });
});

describe('groupByAddress', () => {
  it('groups rows by normalised address, with the most common year and the mean location', () => {
    const { readings } = read([
      'L1;31555;;12;;ALL;de Bellefontaine;1;QN03107M;C;3;;1968;;;;572000;6277000',
      'L2;31555;;12;;all;DE BELLEFONTAINE;2;QN03107M;C;3;;1969;;;;572010;6277010',
      'L3;31555;;12;;ALL;de  Bellefontaine;3;QN03107M;C;3;;1969;;;;;',
      'L4;31555;;14;;ALL;de Bellefontaine;3;QN03107M;C;3;;1971;;;;;',
    ]);
    const { buildings, skipped } = groupByAddress(readings);
    expect(skipped).toEqual([]);
    expect(buildings.map((building) => building.rows.map((row) => row.line))).toEqual([[2, 3, 4], [5]]);
    const [first] = buildings;
    expect(first!.constructionYear).toBe(1969);
    const [a, b] = first!.rows.map((row) => row.location!);
    expect(first!.location!.latitude).toBeCloseTo((a!.latitude + b!.latitude) / 2, 12);
    expect(first!.location!.longitude).toBeCloseTo((a!.longitude + b!.longitude) / 2, 12);
  });

  it('skips a building whole when one of its rows is bad', () => {
    const { readings } = read([
      'L1;31555;;1;;RUE;Reynerie;1;QN03107M;C;3;;;;;;;',
      'L2;31555;;1;;RUE;Reynerie;2;QN03107M;C;huit;;;;;;;',
      'L3;31555;;1;;RUE;Reynerie;3;QN03107M;C;3;;;;;;;',
      'L4;31555;;2;;RUE;Reynerie;1;QN03107M;C;3;;;;;;;',
    ]);
    const { buildings, skipped } = groupByAddress(readings);
    expect(buildings.map((building) => building.addressKey)).toEqual(['31555|2||rue|reynerie']);
    expect(skipped).toEqual([
      {
        address: '1 Rue Reynerie, 31555',
        lines: [2, 3, 4],
        problems: [{ line: 3, reason: 'NBPIECE must be a whole number, not "huit".' }],
      },
    ]);
    expect(skippedRowsOf(skipped)).toEqual([
      { line: 2, reason: 'Skipped with its building (1 Rue Reynerie, 31555): line 3 cannot be imported.' },
      { line: 3, reason: 'NBPIECE must be a whole number, not "huit".' },
      { line: 4, reason: 'Skipped with its building (1 Rue Reynerie, 31555): line 3 cannot be imported.' },
    ]);
  });
});

function fail(message: string): never {
  throw new Error(message);
}
