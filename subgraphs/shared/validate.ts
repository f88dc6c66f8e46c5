import { badInput } from './errors';

/** Edge checks shared by the subgraphs' mutations; each names the offending field for the client. */

export function requireText(value: string, field: string, maxLength = 200): string {
  const text = keptText(value);
  if (!text) throw badInput(`${field} must not be empty.`, field);
  if (isLongerThan(text, maxLength)) throw badInput(`${field} must be at most ${maxLength} characters.`, field);
  return text;
}

export function optionalText(value: string | null | undefined, field: string, maxLength = 2000): string | null {
  if (value === null || value === undefined) return null;
  const text = keptText(value);
  if (isLongerThan(text, maxLength)) throw badInput(`${field} must be at most ${maxLength} characters.`, field);
  return text || null;
}

/** What prints nothing: white space, separators, format characters (zero-width, bidi marks) and fillers. */
const INVISIBLE = /[\s\p{Z}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** The text trimmed, or '' when none of it would show: a title of zero-width spaces is no title. */
function keptText(value: string): string {
  const trimmed = value.trim();
  return trimmed.replace(INVISIBLE, '') ? trimmed : '';
}

/**
 * Limits count code points, not UTF-16 units: an emoji or a CJK extension character counts once. Not grapheme
 * clusters, whose size has no bound (one cluster may carry any number of combining marks), so that a limit
 * also bounds what is stored.
 */
function isLongerThan(text: string, maxLength: number): boolean {
  // Never fewer code points than UTF-16 units, so most text is measured without being split.
  return text.length > maxLength && Array.from(text).length > maxLength;
}

export function requireIntInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be a whole number from ${min} to ${max}.`, field);
  }
  return value;
}

export function requirePositiveAmount(cents: number, field: string): number {
  return requireIntInRange(cents, field, 0, 1_000_000_000);
}

export function requireDigits(value: string | null | undefined, field: string, length: number): string | null {
  if (value === null || value === undefined) return null;
  const compact = value.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${length}}$`).test(compact)) throw badInput(`${field} must be ${length} digits.`, field);
  return compact;
}

export function requireOrderedPeriod(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw badInput('endsAt must be after startsAt.', 'endsAt');
}

/** How far in the future an instant may be and still be taken for now: clocks of clients and servers differ. */
export const CLOCK_SKEW_TOLERANCE_MS = 60_000;

export function requireNotInFuture(at: Date, field: string, now = new Date()): void {
  if (at.getTime() > now.getTime() + CLOCK_SKEW_TOLERANCE_MS) throw badInput(`${field} must not be in the future.`, field);
}

export function requireNotBefore(at: Date, field: string, earliest: Date): void {
  if (at.getTime() < earliest.getTime()) throw badInput(`${field} must not be before ${earliest.toISOString()}.`, field);
}

/** The distinct ids of a list argument, refusing an oversize one. */
export function distinctIds(ids: readonly string[] | null | undefined, field: string, max = 500): string[] {
  const distinct = [...new Set(ids ?? [])];
  if (distinct.length > max) throw badInput(`${field} may name at most ${max} records.`, field);
  return distinct;
}

/** A non-empty list of enum values, each named once (e.g. the services a partner offers). */
export function requireDistinctValues<T extends string>(values: readonly T[], field: string): T[] {
  if (values.length === 0) throw badInput(`${field} must not be empty.`, field);
  const repeated = values.find((value, index) => values.indexOf(value) !== index);
  if (repeated) throw badInput(`${field} names ${repeated} more than once.`, field);
  return [...values];
}

/** A calendar date ('YYYY-MM-DD', as the Date scalar gives it) not after today in any time zone, overseas France included. */
export function requireDateNotInFuture(date: string, field: string, now = new Date()): string {
  const latestToday = new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  if (date > latestToday) throw badInput(`${field} must not be in the future.`, field);
  return date;
}

/** A phone number as people write it: 6 to 15 digits with spaces, dots, dashes or brackets, optionally after a +. */
export function optionalPhone(value: string | null | undefined, field: string): string | null {
  const phone = optionalText(value, field, 30);
  const digits = phone?.replace(/\D/g, '').length ?? 0;
  if (phone !== null && (!/^\+?[\d .()-]+$/.test(phone) || digits < 6 || digits > 15)) {
    throw badInput(`${field} must be a phone number, e.g. 05 61 00 00 00 or +33 5 61 00 00 00.`, field);
  }
  return phone;
}
