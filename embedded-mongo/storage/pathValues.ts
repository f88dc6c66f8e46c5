import type { Document } from 'bson';
import { isObject } from 'mingo/util';

/**
 * The values a dotted path reaches in a document, traversing arrays the way MongoDB's multikey
 * indexes and `distinct` do: `a.b` on `{ a: [{ b: 1 }, { b: 2 }] }` reaches 1 and 2, and a numeric
 * segment indexes into an array. A missing path reaches nothing; an array at the end of the path is
 * returned as one value, for the caller to expand.
 */
export function pathValues(document: Document, path: string): unknown[] {
  const reached: unknown[] = [];
  collect(document, path.split('.'), 0, reached);
  return reached;
}

function collect(value: unknown, segments: string[], depth: number, reached: unknown[]): void {
  if (depth === segments.length) {
    if (value !== undefined) reached.push(value);
    return;
  }
  const segment = segments[depth] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(segment)) {
      collect(value[Number(segment)], segments, depth + 1, reached);
      return;
    }
    for (const element of value) {
      if (isObject(element)) collect(element[segment], segments, depth + 1, reached);
    }
    return;
  }
  if (isObject(value)) collect(value[segment], segments, depth + 1, reached);
}
