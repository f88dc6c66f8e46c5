import type { Collection, OptionalUnlessRequiredId } from 'mongodb';
import { conflict, isDuplicateKeyError } from './errors';
import { type RequestLoaders, byIdLoader } from './loaders';

/** The reads and the insert every collection's data module starts from: batched by id, duplicates as CONFLICT. */
export class Records<T extends { _id: string }> {
  constructor(
    protected readonly collection: Collection<T>,
    protected readonly loaders: RequestLoaders,
  ) {}

  byId(id: string): Promise<T | null> {
    return this.loaders.get(`${this.collection.collectionName}:byId`, () => byIdLoader(this.collection)).load(id);
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
}
