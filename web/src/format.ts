import type { Disclosure } from './gql/graphql';

/** Every number and date the app shows, in French (fr-FR), formatted once here. */
const integer = new Intl.NumberFormat('fr-FR');
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
const monthShort = new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' });
const monthLong = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export const formatInteger = (value: number) => integer.format(value);
export const formatPercent = (value: number) => percent.format(value);
export const formatHours = (value: number) => `${decimal.format(value)} h`;
export const formatEuros = (cents: number) => euros.format(cents / 100);
export const formatDate = (iso: string) => date.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
/** `2026-03` → « mars » (short) or « mars 2026 » (long). */
export const formatMonth = (month: string, long = false) => (long ? monthLong : monthShort).format(new Date(`${month}-01T00:00:00Z`));

/** Why a shared figure is withheld (null), in the words shown in its place: never 0. */
export const WITHHELD = {
  WITHHELD_SMALL_CELL: "secret statistique (moins de 11 demandes d'autres bailleurs)",
  WITHHELD_COMPLEMENTARY: 'masqué pour protéger une autre case (secret statistique)',
} as const satisfies Partial<Record<Disclosure, string>>;

/** The same, short, for tables of many figures: each figure's title and the page's note say the rest. */
export const WITHHELD_SHORT = {
  WITHHELD_SMALL_CELL: 'secret statistique',
  WITHHELD_COMPLEMENTARY: 'masqué (secret statistique)',
} as const satisfies Record<keyof typeof WITHHELD, string>;

/** A null figure given with its cell: a rate or median there are no requests for (exact figures). */
export const NOT_APPLICABLE = 'sans objet';

/**
 * The reason a figure is not shown, or null when it is. A withheld cell withholds all its figures; a shared rate or
 * median is also null (under the same disclosure) while it rests on fewer than 11 of other landlords' requests.
 */
export function withheldReason(value: number | null | undefined, disclosure: Disclosure): keyof typeof WITHHELD | null {
  if (disclosure === 'WITHHELD_SMALL_CELL' || disclosure === 'WITHHELD_COMPLEMENTARY') return disclosure;
  return (value === null || value === undefined) && disclosure === 'PUBLISHED' ? 'WITHHELD_SMALL_CELL' : null;
}

/** A statistic as shown: its value, or why it is withheld, or « sans objet » for an exact cell without any. */
export function disclosedFigure(
  value: number | null | undefined,
  disclosure: Disclosure,
  format: (value: number) => string = formatInteger,
  words: Record<keyof typeof WITHHELD, string> = WITHHELD,
): string {
  const reason = withheldReason(value, disclosure);
  if (reason) return words[reason];
  return value === null || value === undefined ? NOT_APPLICABLE : format(value);
}
