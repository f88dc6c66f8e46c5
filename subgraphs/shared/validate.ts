import { badInput } from './errors';

/** Edge checks shared by the subgraphs' mutations; each names the offending field for the client. */

export function requireText(value: string, field: string, maxLength = 200): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${field} must not be empty.`, field);
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters.`, field);
  return trimmed;
}

export function optionalText(value: string | null | undefined, field: string, maxLength = 2000): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters.`, field);
  return trimmed || null;
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

export function requireNotInFuture(at: Date, field: string, now = new Date()): void {
  if (at.getTime() > now.getTime() + 60_000) throw badInput(`${field} must not be in the future.`, field);
}

/** The distinct ids of a list argument, refusing an oversize one. */
export function distinctIds(ids: readonly string[] | null | undefined, field: string, max = 500): string[] {
  const distinct = [...new Set(ids ?? [])];
  if (distinct.length > max) throw badInput(`${field} may name at most ${max} records.`, field);
  return distinct;
}
