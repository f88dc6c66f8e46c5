import { randomBytes } from 'node:crypto';
import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import { conflict, isDuplicateKeyError } from './errors';
import { type RequestLoaders, byIdLoader } from './loaders';

/** The reads and the insert every collection's data module starts from: batched by id, duplicates as CONFLICT. */
export class Records<T extends { _id: string }> {
  constructor(
    protected readonly collection: Collection<T>,
    protected readonly loaders: RequestLoaders,
  ) {}

  private idLoader() {
    return this.loaders.get(`${this.collection.collectionName}:byId`, () => byIdLoader(this.collection));
  }

  byId(id: string): Promise<T | null> {
    return this.idLoader().load(id);
  }

  /** Replaces the request's copy of a record just written, so that later reads in the same request see the change. */
  protected remember(record: T): void {
    this.idLoader().clear(record._id).prime(record._id, record);
  }

  async byIds(ids: readonly string[]): Promise<T[]> {
    const found = await Promise.all(ids.map((id) => this.byId(id)));
    return found.filter((record): record is Awaited<T> => record !== null);
  }

  /** Inserts `record`; a unique index refusing it becomes a CONFLICT saying `duplicateMessage`. */
  async insert(record: T, duplicateMessage: string): Promise<T> {
    try {
      await this.collection.insertOne(record as OptionalUnlessRequiredId<T>);
      return record;
    } catch (error) {
      if (isDuplicateKeyError(error)) throw conflict(duplicateMessage);
      throw error;
    }
  }

  /**
   * Inserts `record` unless it replays an earlier create (same client key, refused by a unique index): then the
   * record first created, found by `original`, is returned instead, so a client may safely retry a create.
   */
  async insertOnce(record: T, original: Filter<T>): Promise<T> {
    try {
      await this.collection.insertOne(record as OptionalUnlessRequiredId<T>);
      return record;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const first = await this.collection.findOne(original);
      if (!first) throw error;
      return first as T;
    }
  }
}

/** A reference the database guarantees (an agreement's partner): missing means corrupted data, not a user error. */
export async function requireLoaded<T>(pending: Promise<T | null>): Promise<T> {
  const record = await pending;
  if (!record) throw new Error('A referenced record is missing from the database.');
  return record;
}

/** 128 bits: well above the 96 that make guessing another landlord's record hopeless at any request rate. */
const ID_BYTES = 16;

/**
 * Identifiers are opaque strings: random ones for every record the graph creates, readable ones in demo data.
 * Random, not sequential (an ObjectId is mostly a timestamp and a counter), so that an id seen says nothing about
 * the next one, and one landlord cannot find another's new records by trying the ids around its own.
 */
export function newId(): string {
  return randomBytes(ID_BYTES).toString('hex');
}
