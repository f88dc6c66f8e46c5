/** The TFPB exports' numbers, as French spreadsheets read them (the CSV itself: shared/csv). */

/** Euro cents as euros with a decimal comma: 123456 → "1234,56". */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')}`;
}

/** A ratio with two decimals and a decimal comma; empty when there is none. */
export function ratio(value: number | null): string {
  return value === null ? '' : value.toFixed(2).replace('.', ',');
}
