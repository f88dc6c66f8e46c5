/** Every number and date the app shows, in French (fr-FR), formatted once here. */
const integer = new Intl.NumberFormat('fr-FR');
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
const monthShort = new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' });
const monthLong = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** What a withheld statistic (null: fewer than 11 requests behind it) is called, never 0. */
export const WITHHELD = 'secret statistique (moins de 11)';

export const formatInteger = (value: number) => integer.format(value);
export const formatPercent = (value: number) => percent.format(value);
export const formatHours = (value: number) => `${decimal.format(value)} h`;
export const formatEuros = (cents: number) => euros.format(cents / 100);
export const formatDate = (iso: string) => date.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
/** `2026-03` → « mars » (short) or « mars 2026 » (long). */
export const formatMonth = (month: string, long = false) => (long ? monthLong : monthShort).format(new Date(`${month}-01T00:00:00Z`));

/** A statistic that may be withheld: its text, or the secret statistique mention. */
export function statistic(value: number | null | undefined, format: (value: number) => string = formatInteger): string {
  return value === null || value === undefined ? WITHHELD : format(value);
}
