import type { Document } from 'bson';
import { compileFilter, type DocumentPredicate } from '../query/queryEngine';
import { duplicateKeyError } from './duplicateKeyError';
import { indexEntriesOf, type IndexEntry } from './indexKeys';
import type { IndexSpec } from './indexSpec';

/**
 * An index created with `createIndexes`: maps each index key to the ids of the documents holding
 * it. It enforces `unique`, and answers equality lookups on its first field so filters on that
 * field avoid a scan.
 */
export class SecondaryIndex {
  private readonly idsByKey: IdsByKey = new Map();
  /** For a single-field index, the same map as `idsByKey`. */
  private readonly idsByLeadingKey: IdsByKey;
  private readonly fields: string[];
  private readonly isCovered: DocumentPredicate;

  constructor(
    readonly spec: IndexSpec,
    private readonly namespace: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.isCovered = compileFilter(spec.partialFilterExpression);
    this.idsByLeadingKey = this.fields.length === 1 ? this.idsByKey : new Map();
  }

  /** Whether every document is indexed under its exact value of `field`, so a lookup finds all matches. */
  servesEqualityOn(field: string): boolean {
    return this.fields[0] === field && !this.spec.sparse && !this.spec.partialFilterExpression;
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
    for (const { key, leadingKey } of entries) {
      addId(this.idsByKey, key, ownerId);
      if (this.idsByLeadingKey !== this.idsByKey) addId(this.idsByLeadingKey, leadingKey, ownerId);
    }
  }

  remove(entries: IndexEntry[], ownerId: string): void {
    for (const { key, leadingKey } of entries) {
      removeId(this.idsByKey, key, ownerId);
      if (this.idsByLeadingKey !== this.idsByKey) removeId(this.idsByLeadingKey, leadingKey, ownerId);
    }
  }

  /** Ids of the documents whose first indexed field has the value keyed `leadingKey` (a live view: read it before any write). */
  idsWithLeadingKey(leadingKey: string): Iterable<string> {
    const holders = this.idsByLeadingKey.get(leadingKey);
    if (holders === undefined) return [];
    return typeof holders === 'string' ? [holders] : holders;
  }
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
