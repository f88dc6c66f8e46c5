import type { Collection, Filter, UpdateFilter } from 'mongodb';
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../lib/auth/caller';
import { type AuditTrail, auditUpdate } from './audit';
import { badInput, conflict, notFound } from './errors';
import type { RequestLoaders } from './loaders';
import { Records } from './records';

/** A record several people change: every change raises its version, and its status says which changes it accepts. */
export interface VersionedRecord {
  _id: string;
  version: number;
  status: string;
  audit: AuditTrail;
}

/** One change of a versioned record, as a client asks for it. */
export interface GuardedChange<T extends VersionedRecord> {
  /** The version the client read: the change applies to that state only. */
  expectedVersion: number;
  /** The statuses the change may start from. */
  allowedFrom: readonly T['status'][];
  /** Why a record in `status` refuses the change, for the person who asked. */
  refusal: (status: T['status']) => string;
  set: Partial<Omit<T, '_id' | 'version' | 'audit'>>;
}

/** Optimistic concurrency: a change applies to the state its author read, or to nothing. */
export class VersionedRecords<T extends VersionedRecord> extends Records<T> {
  constructor(
    collection: Collection<T>,
    loaders: RequestLoaders,
    private readonly typeName: string,
  ) {
    super(collection, loaders);
  }

  /**
   * Applies `change` to the record `current` (as read for the access check) with ONE findOneAndUpdate that matches
   * only the record still at the expected version and in an allowed status, and raises the version. A refused change
   * leaves the stored record as it was and says why: NOT_FOUND, CONFLICT (changed since it was read; the current
   * version in `extensions.currentVersion`) or BAD_USER_INPUT (its status refuses the change).
   */
  async applyChange(current: T, change: GuardedChange<T>, caller: Caller): Promise<T> {
    const refused = this.refusalOf(current, current._id, change);
    if (refused) throw refused;
    const updated = await this.collection.findOneAndUpdate(
      { _id: current._id, version: change.expectedVersion, status: { $in: [...change.allowedFrom] } } as Filter<T>,
      { $set: { ...change.set, ...auditUpdate(caller) }, $inc: { version: 1 } } as unknown as UpdateFilter<T>,
      { returnDocument: 'after' },
    );
    if (!updated) {
      // Another change won the race since `current` was read: the record as it is now tells which refusal applies.
      const now = (await this.collection.findOne({ _id: current._id } as Filter<T>)) as T | null;
      throw (
        this.refusalOf(now, current._id, change) ?? conflict(`${this.typeName} ${current._id} changed meanwhile: read it again and retry.`)
      );
    }
    this.remember(updated as T);
    return updated as T;
  }

  private refusalOf(record: T | null, id: string, change: GuardedChange<T>): GraphQLError | null {
    if (!record) return notFound(this.typeName, id);
    if (record.version !== change.expectedVersion) {
      return conflict(
        `${this.typeName} ${id} has changed since you read it: it is at version ${record.version}, not ${change.expectedVersion}. ` +
          'Read it again and retry.',
        { currentVersion: record.version },
      );
    }
    if (!change.allowedFrom.includes(record.status)) return badInput(change.refusal(record.status));
    return null;
  }
}
