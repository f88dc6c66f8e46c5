/**
 * CSV as French spreadsheets open it: ';'-separated, CRLF, decimal comma. A cell is quoted when it holds a ';', a
 * quote or a line break; one starting like a formula (= + - @, tab, CR) that is not a number is prefixed with an
 * apostrophe so that a name typed into the graph never runs as a formula in the spreadsheet that opens the export.
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

/** What a spreadsheet may run as a formula: a cell starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** The numbers the exports write (euros, ratios, counts), which keep their sign. */
const NUMBER = /^-?\d+(,\d+)?$/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
