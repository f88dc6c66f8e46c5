import DataLoader from 'dataloader';
import type { Collection, Document, Filter, Sort } from 'mongodb';
import { type Connection, type PageArgs, decodeCursor, pageSize, toConnection } from './pagination';

/**
 * Per-request DataLoaders. Every loader turns the keys asked for during one tick into ONE database command,
 * so an `_entities` batch or a list field under many parents costs the same as under one.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  /** The loader registered under `name`, created on first use within this request. */
  get<V>(name: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = create();
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<string, V>;
  }
}

interface LoaderQuery<T> {
  filter?: Filter<T>;
  projection?: Document;
  sort?: Sort;
}

/**
 * A `batchSize` for reads whose every document is wanted at once: the server answers with as many as fit in one
 * reply (16 MB), not the driver's first 101 and then a getMore, so that the commands a read takes do not grow with
 * the number of documents (a district of 160 buildings is one command, as one of 40).
 */
export const ONE_REPLY = 100_000;

/** Documents by `_id`: one `{ _id: { $in } }` find per batch; missing ids give null. */
export function byIdLoader<T extends { _id: string }>(collection: Collection<T>, projection?: Document): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const found = (await collection.find({ _id: { $in: [...ids] } } as Filter<T>, { projection, batchSize: ONE_REPLY }).toArray()) as T[];
    const byId = new Map(found.map((doc) => [doc._id, doc]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Documents grouped by the value of `field` (a plain or an array field): one `$in` find per batch.
 * E.g. the buildings of many districts, or the actions whose `organiserIds` contain any of many landlords.
 */
export function groupedByFieldLoader<T extends Document>(
  collection: Collection<T>,
  field: string,
  query: LoaderQuery<T> = {},
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const filter = { ...(query.filter ?? {}), [field]: { $in: [...keys] } } as Filter<T>;
    const found = (await collection
      .find(filter, { projection: query.projection, sort: query.sort, batchSize: ONE_REPLY })
      .toArray()) as T[];
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const doc of found) {
      const value: unknown = doc[field];
      for (const key of Array.isArray(value) ? value : [value]) groups.get(String(key))?.push(doc);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * One cursor page per parent, for many parents in ONE aggregate: a `$match` on all parents (served by the index on
 * `field`, a plain field), then a `$group` by parent with its count and its page (`$topN` by `_id`, one more than the page to tell
 * whether another follows). Each parent is a result document of its own, at most a page of records: a batch of
 * many parents never makes one document of them all (MongoDB refuses a document over 16 MB), and the server keeps
 * no more than a page per parent as it goes.
 */
export function pageByFieldLoader<T extends { _id: string }>(
  collection: Collection<T>,
  field: string,
  args: PageArgs,
  baseFilter: Filter<T> = {},
): DataLoader<string, Connection<T>> {
  const size = pageSize(args.first);
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  return new DataLoader(async (parentIds) => {
    // After a cursor, the records up to it sort last (`__beforeCursor: true`) and are dropped from the page.
    const page = { $topN: { n: size + 1, sortBy: afterId ? { [BEFORE_CURSOR]: 1, _id: 1 } : { _id: 1 }, output: '$$ROOT' } };
    const rows = await collection
      .aggregate<{ _id: string; totalCount: number; page: (T & { [BEFORE_CURSOR]?: boolean })[] }>([
        { $match: { ...baseFilter, [field]: { $in: [...parentIds] } } },
        ...(afterId ? [{ $set: { [BEFORE_CURSOR]: { $lte: ['$_id', afterId] } } }] : []),
        { $group: { _id: `$${field}`, totalCount: { $sum: 1 }, ...(size > 0 && { page }) } },
      ])
      .toArray();
    const byParent = new Map(rows.map((row) => [row._id, row]));
    return parentIds.map((parentId) => {
      const row = byParent.get(parentId);
      const pagePlusOne = (row?.page ?? [])
        .filter((record) => !record[BEFORE_CURSOR])
        .map((record) => (afterId ? withoutField(record, BEFORE_CURSOR) : record));
      return toConnection(pagePlusOne as T[], size, row?.totalCount ?? 0);
    });
  });
}

const BEFORE_CURSOR = '__beforeCursor';

function withoutField<T extends object>(record: T, name: string): T {
  const { [name]: _dropped, ...rest } = record as Record<string, unknown>;
  return rest as T;
}

/** A stable loader name for a field's arguments, so equal arguments share one batch. */
export function loaderKey(name: string, args: object): string {
  return `${name}:${JSON.stringify(args)}`;
}
