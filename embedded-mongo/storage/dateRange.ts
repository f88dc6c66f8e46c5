import type { Document } from 'bson';
import { conditionKind } from '../query/filterMatcher';

/** The times (ms) a Date must lie between to meet a filter's range conditions on a field. */
export interface DateRange {
  low: number;
  lowInclusive: boolean;
  high: number;
  highInclusive: boolean;
}

/**
 * The range that `{ $gt / $gte / $lt / $lte: Date }` conditions on one field set, or undefined when the
 * condition has no Date bound. Only Dates meet a Date bound (MongoDB compares within a type), so the
 * documents whose value (or an element of it) lies in the range are a superset of the matches; other
 * operators beside the bounds are left to the filter.
 */
export function dateRangeOf(condition: unknown): DateRange | undefined {
  if (conditionKind(condition) !== 'operators') return undefined;
  const range: DateRange = { low: -Infinity, lowInclusive: true, high: Infinity, highInclusive: true };
  let bounded = false;
  for (const [operator, operand] of Object.entries(condition as Document)) {
    if (!(operand instanceof Date) || Number.isNaN(operand.getTime())) continue;
    const time = operand.getTime();
    if ((operator === '$gt' || operator === '$gte') && (time > range.low || (time === range.low && operator === '$gt'))) {
      Object.assign(range, { low: time, lowInclusive: operator === '$gte' });
      bounded = true;
    }
    if ((operator === '$lt' || operator === '$lte') && (time < range.high || (time === range.high && operator === '$lt'))) {
      Object.assign(range, { high: time, highInclusive: operator === '$lte' });
      bounded = true;
    }
  }
  return bounded ? range : undefined;
}

/** The ids of the documents under one leading key, in the order of their Date in the index's second field. */
export class SortedDates {
  private readonly times: number[] = [];
  private readonly ids: string[] = [];

  add(time: number, id: string): void {
    const at = this.firstIndex(time, false);
    this.times.splice(at, 0, time);
    this.ids.splice(at, 0, id);
  }

  remove(time: number, id: string): void {
    for (let at = this.firstIndex(time, false); at < this.times.length && this.times[at] === time; at += 1) {
      if (this.ids[at] === id) {
        this.times.splice(at, 1);
        this.ids.splice(at, 1);
        return;
      }
    }
  }

  get size(): number {
    return this.ids.length;
  }

  idsIn(range: DateRange): string[] {
    const start = this.firstIndex(range.low, !range.lowInclusive);
    const end = this.firstIndex(range.high, range.highInclusive);
    return this.ids.slice(start, Math.max(start, end));
  }

  /** The first position holding a time above `time` (`above`), or at least `time`. */
  private firstIndex(time: number, above: boolean): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const current = this.times[middle] as number;
      if (current < time || (above && current === time)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
