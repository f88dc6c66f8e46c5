import { isDeepStrictEqual } from 'node:util';
import type { AnyBulkWriteOperation, Collection, Filter, OptionalId, UpdateFilter } from 'mongodb';
import type { AuditTrail } from './audit';
import { conflict, isDuplicateKeyError } from './errors';

/** What an idempotent save did: the records in the order given, and how many it created, changed or left alone. */
export interface SaveOutcome<T> {
  records: T[];
  created: number;
  updated: number;
  unchanged: number;
}

/** A record to save: the one stored (null when there is none yet) and the one it should become. */
export interface PlannedRecord<T> {
  stored: T | null;
  next: T;
}

/** Who saves, and when; with `dryRun`, the outcome is worked out but nothing is written. */
export interface SaveAudit {
  at: Date;
  by: string;
  dryRun?: boolean;
}

/**
 * Saves records by difference in one ordered bulk write: inserts the new ones, `$set`s only the fields that
 * changed (and the audit's updatedAt/updatedBy with them), and leaves equal records untouched, audit trail
 * included, so that saving the same input again changes nothing at all. A record another save created meanwhile
 * makes it a CONFLICT, the writes before it kept: the client sends it again.
 */
export async function saveChangedRecords<T extends { _id: string; audit: AuditTrail }>(
  collection: Collection<T>,
  planned: readonly PlannedRecord<T>[],
  audit: SaveAudit,
): Promise<SaveOutcome<T>> {
  const outcome: SaveOutcome<T> = { records: [], created: 0, updated: 0, unchanged: 0 };
  const operations: AnyBulkWriteOperation<T>[] = [];
  for (const { stored, next } of planned) {
    if (!stored) {
      operations.push({ insertOne: { document: next as OptionalId<T> } });
      outcome.records.push(next);
      outcome.created += 1;
      continue;
    }
    const changes = changedFields(stored, next);
    if (Object.keys(changes).length === 0) {
      outcome.records.push(stored);
      outcome.unchanged += 1;
      continue;
    }
    const update = { $set: { ...changes, 'audit.updatedAt': audit.at, 'audit.updatedBy': audit.by } } as UpdateFilter<T>;
    operations.push({ updateOne: { filter: { _id: stored._id } as Filter<T>, update } });
    outcome.records.push({ ...stored, ...changes, audit: { ...stored.audit, updatedAt: audit.at, updatedBy: audit.by } });
    outcome.updated += 1;
  }
  if (operations.length > 0 && !audit.dryRun) {
    try {
      await collection.bulkWrite(operations, { ordered: true });
    } catch (error) {
      // Another save created one of these records since they were read: saving again finds it, and changes nothing twice.
      if (isDuplicateKeyError(error))
        throw conflict('Some of these records were saved by another request at the same moment: send it again.');
      throw error;
    }
  }
  return outcome;
}

/** The fields of `next`, identity and audit aside, whose value differs from the stored one (nested values compared deeply). */
function changedFields<T extends object>(stored: T, next: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (key === '_id' || key === 'audit') continue;
    if (!isDeepStrictEqual(stored[key], next[key])) changes[key] = next[key];
  }
  return changes;
}
