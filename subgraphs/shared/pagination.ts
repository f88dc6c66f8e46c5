import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Cursors are opaque to clients: the base64url of the last seen `_id`, the sort key of every page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeCursor(id) !== cursor) throw badInput(`"${cursor}" is not a cursor this API gave out.`, 'after');
  return id;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return first;
}

/** Wraps one page of documents, fetched with one extra to learn whether another page follows. */
export function toConnection<T extends { _id: string }>(pagePlusOne: T[], size: number, totalCount: number): Connection<T> {
  const nodes = pagePlusOne.slice(0, size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node._id), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: pagePlusOne.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** The connection of a list the caller may not see: lists filter, they never fail. */
export function emptyConnection<T extends { _id: string }>(): Connection<T> {
  return toConnection<T>([], 0, 0);
}
