import { parse } from 'csv-parse/sync';
import { RplsFileRefused } from './errors';

/** One record of the file and the line it starts on (the header is line 1). */
export interface TableRecord {
  line: number;
  cells: string[];
}

export interface RplsTable {
  header: string[];
  records: TableRecord[];
}

/**
 * Splits an RPLS file into its header and records: `;`-separated, strings possibly quoted (and then possibly
 * spanning lines), blank lines ignored. A record with a wrong number of fields is kept for the row checks to
 * report; only a file that cannot be split at all is refused.
 */
export function readRplsTable(text: string): RplsTable {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where the parser stood; the typings do not model that option.
    parsed = parse(text, {
      delimiter: ';',
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    throw new RplsFileRefused(`The file is not a readable ';'-separated file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...records] = parsed;
  if (!header) throw new RplsFileRefused('The file is empty.');
  return {
    header: header.record,
    // The parser reports the line a record ends on; a quoted value spanning lines moves its start back.
    records: records.map(({ record, info }) => ({ line: info.lines - newlinesIn(record), cells: record })),
  };
}

function newlinesIn(cells: readonly string[]): number {
  return cells.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}
