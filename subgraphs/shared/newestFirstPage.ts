import type { Collection, Document, Filter } from 'mongodb';
import { badInput } from './errors';
import { type Connection, type PageArgs, decodeCursor, pageSize, toConnection } from './pagination';

/**
 * A page of the records matching `filter`, newest first by `timeField` (ties by `_id`), for logs and inboxes. The
 * cursor is the last record's `_id`, as everywhere; the page after it starts below that record's time.
 */
export async function newestFirstPage<T extends { _id: string }>(
  collection: Collection<T>,
  filter: Filter<T>,
  timeField: keyof T & string,
  { first, after }: PageArgs,
): Promise<Connection<T>> {
  const size = pageSize(first);
  let below: Document = {};
  if (after) {
    const afterId = decodeCursor(after);
    const last = (await collection.findOne({ ...filter, _id: afterId } as Filter<T>)) as Document | null;
    if (!last) throw badInput(`"${after}" is not a cursor of this list.`, 'after');
    const time: unknown = last[timeField];
    below = { $or: [{ [timeField]: { $lt: time } }, { [timeField]: time, _id: { $lt: afterId } }] };
  }
  const [pagePlusOne, totalCount] = await Promise.all([
    size === 0
      ? Promise.resolve([])
      : collection.find({ ...filter, ...below } as Filter<T>, { sort: { [timeField]: -1, _id: -1 }, limit: size + 1 }).toArray(),
    collection.countDocuments(filter),
  ]);
  return toConnection(pagePlusOne as T[], size, totalCount);
}
