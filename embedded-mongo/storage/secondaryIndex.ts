import type { Document } from 'bson';
import { compileFilter, type DocumentPredicate } from '../query/queryEngine';
import { type DateRange, SortedDates } from './dateRange';
import { duplicateKeyError } from './duplicateKeyError';
import { indexEntriesOf, type IndexEntry } from './indexKeys';
import type { IndexSpec } from './indexSpec';

/**
 * An index created with `createIndexes`: maps each index key to the ids of the documents holding
 * it. It enforces `unique`, and answers equality lookups on its first field so filters on that
 * field avoid a scan; a compound index also answers a Date range on its second field within them.
 */
export class SecondaryIndex {
  private readonly idsByKey: IdsByKey = new Map();
  /** For a single-field index, the same map as `idsByKey`. */
  private readonly idsByLeadingKey: IdsByKey;
  private readonly fields: string[];
  private readonly isCovered: DocumentPredicate;
  /** Compound indexes: per key of the first field, the documents by the Date in the second field. */
  private readonly datesByLeadingKey: Map<string, SortedDates> | undefined;
  private isMultikeyAfterLeadingField = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly namespace: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.isCovered = compileFilter(spec.partialFilterExpression);
    this.idsByLeadingKey = this.fields.length === 1 ? this.idsByKey : new Map();
    this.datesByLeadingKey = this.fields.length > 1 && this.indexesEveryDocument ? new Map() : undefined;
  }

  private get indexesEveryDocument(): boolean {
    return !this.spec.sparse && !this.spec.partialFilterExpression;
  }

  /** Whether every document is indexed under its exact value of `field`, so a lookup finds all matches. */
  servesEqualityOn(field: string): boolean {
    return this.fields[0] === field && this.indexesEveryDocument;
  }

  /** The second field, when this index answers equality on `field` narrowed by a Date range on it. */
  dateRangeFieldAfter(field: string): string | undefined {
    return this.datesByLeadingKey && this.fields[0] === field ? this.fields[1] : undefined;
  }

  entriesOf(document: Document): IndexEntry[] {
    return this.isCovered(document) ? indexEntriesOf(document, this.fields, this.spec.sparse === true) : [];
  }

  /** Throws the E11000 error if another document than `ownerId` already holds one of the keys. */
  assertAcceptable(entries: IndexEntry[], ownerId: string): void {
    if (!this.spec.unique) return;
    for (const { key, values } of entries) {
      if (idsOf(this.idsByKey, key).some((id) => id !== ownerId)) {
        const keyValue = Object.fromEntries(this.fields.map((field, i) => [field, values[i]]));
        throw duplicateKeyError(this.namespace, this.spec.name, this.spec.key, keyValue);
      }
    }
  }

  add(entries: IndexEntry[], ownerId: string): void {
    // Two entries under one leading key: the second field holds an array (mongod's multikey flag, kept once set).
    if (entries.length > 1 && new Set(entries.map((entry) => entry.leadingKey)).size < entries.length)
      this.isMultikeyAfterLeadingField = true;
    for (const { key, leadingKey, values } of entries) {
      addId(this.idsByKey, key, ownerId);
      if (this.idsByLeadingKey !== this.idsByKey) addId(this.idsByLeadingKey, leadingKey, ownerId);
      const [, second] = values;
      if (this.datesByLeadingKey && second instanceof Date) {
        let dates = this.datesByLeadingKey.get(leadingKey);
        if (dates === undefined) this.datesByLeadingKey.set(leadingKey, (dates = new SortedDates()));
        dates.add(second.getTime(), ownerId);
      }
    }
  }

  remove(entries: IndexEntry[], ownerId: string): void {
    for (const { key, leadingKey, values } of entries) {
      removeId(this.idsByKey, key, ownerId);
      if (this.idsByLeadingKey !== this.idsByKey) removeId(this.idsByLeadingKey, leadingKey, ownerId);
      const [, second] = values;
      const dates = second instanceof Date ? this.datesByLeadingKey?.get(leadingKey) : undefined;
      dates?.remove((second as Date).getTime(), ownerId);
      if (dates?.size === 0) this.datesByLeadingKey?.delete(leadingKey);
    }
  }

  /** Ids of the documents under `leadingKey` whose second indexed field holds a Date in `range` (an id may repeat). */
  idsWithLeadingKeyIn(leadingKey: string, range: DateRange): string[] {
    // Different elements of an array may meet the two bounds: with arrays, one bound alone narrows the lookup.
    const narrowed = this.isMultikeyAfterLeadingField ? oneSided(range) : range;
    return this.datesByLeadingKey?.get(leadingKey)?.idsIn(narrowed) ?? [];
  }

  /** Ids of the documents whose first indexed field has the value keyed `leadingKey` (a live view: read it before any write). */
  idsWithLeadingKey(leadingKey: string): Iterable<string> {
    const holders = this.idsByLeadingKey.get(leadingKey);
    if (holders === undefined) return [];
    return typeof holders === 'string' ? [holders] : holders;
  }
}

function oneSided(range: DateRange): DateRange {
  return range.low === -Infinity ? range : { ...range, high: Infinity, highInclusive: true };
}

/**
 * Index key → ids of the documents holding it. Most keys have a single holder (all of them in a
 * unique index), so a lone id is stored as such: a Set per key would multiply memory use.
 */
type IdsByKey = Map<string, string | Set<string>>;

function idsOf(idsByKey: IdsByKey, key: string): string[] {
  const holders = idsByKey.get(key);
  if (holders === undefined) return [];
  return typeof holders === 'string' ? [holders] : [...holders];
}

function addId(idsByKey: IdsByKey, key: string, id: string): void {
  const holders = idsByKey.get(key);
  if (holders === undefined || holders === id) idsByKey.set(key, id);
  else if (typeof holders === 'string') idsByKey.set(key, new Set([holders, id]));
  else holders.add(id);
}

function removeId(idsByKey: IdsByKey, key: string, id: string): void {
  const holders = idsByKey.get(key);
  if (holders === id) idsByKey.delete(key);
  else if (typeof holders === 'object') {
    holders.delete(id);
    if (holders.size === 1) idsByKey.set(key, holders.values().next().value as string);
  }
}
