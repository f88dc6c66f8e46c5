import type { Document } from 'bson';
import { CommandError } from '../errors';
import type { Evaluation } from '../evaluation';
import type { StorageEffectListener } from './catalog';
import { type DateRange, dateRangeOf } from './dateRange';
import { immutableIdError, withDocumentId } from './documentId';
import { duplicateKeyError } from './duplicateKeyError';
import { findEqualityLookup } from './equalityLookup';
import type { IndexEntry } from './indexKeys';
import { hasSameKeyPattern, ID_INDEX_SPEC, isSameIndex, type IndexSpec } from './indexSpec';
import { SecondaryIndex } from './secondaryIndex';
import { valueKey } from './valueKey';

/**
 * The documents and indexes of one collection.
 *
 * Stored documents are never mutated: an update stores a new object in place of the old one. So
 * readers (open cursors, a checkpoint being written) can keep references without copying, and a
 * write that fails a unique check leaves nothing half-applied. Map order is insertion order, which
 * is the natural order `find` returns without a sort.
 */
export class CollectionStore {
  private readonly documentsById = new Map<string, Document>();
  private readonly indexes = new Map<string, SecondaryIndex>();

  constructor(
    readonly databaseName: string,
    readonly name: string,
    private readonly notifyWrite: StorageEffectListener,
    readonly evaluation: Evaluation = 'native',
  ) {}

  private get location(): { database: string; collection: string } {
    return { database: this.databaseName, collection: this.name };
  }

  get namespace(): string {
    return `${this.databaseName}.${this.name}`;
  }

  /** The stored document with this `_id`, if any. */
  documentById(id: unknown): Document | undefined {
    return this.documentsById.get(valueKey(id));
  }

  get size(): number {
    return this.documentsById.size;
  }

  documents(): IterableIterator<Document> {
    return this.documentsById.values();
  }

  /** Documents that may match `filter`: found by `_id` or index lookup when possible, else all. */
  candidates(filter: Document): Iterable<Document> {
    const lookup = findEqualityLookup(filter, (field) => field === '_id' || this.equalityIndexOn(field) !== undefined);
    if (lookup === undefined) return this.documentsById.values();
    // `_id` keys are the ids themselves; an index maps its keys to ids, narrowed by a Date range when it can.
    let idsUnder = (key: string): Iterable<string> => [key];
    let mayRepeat = false;
    if (lookup.field !== '_id') {
      const index = this.equalityIndexOn(lookup.field) as SecondaryIndex;
      const ranged = this.evaluation === 'native' ? this.dateRangeLookup(lookup.field, filter) : undefined;
      idsUnder = ranged ? (key) => ranged.index.idsWithLeadingKeyIn(key, ranged.range) : (key) => index.idsWithLeadingKey(key);
      // A multikey document is indexed under several keys (or several Dates): then each id counts once.
      mayRepeat = ranged !== undefined || lookup.keys.length > 1;
    }
    const found: Document[] = [];
    const seen = mayRepeat ? new Set<string>() : undefined;
    for (const key of lookup.keys) {
      for (const id of idsUnder(key)) {
        if (seen?.has(id)) continue;
        seen?.add(id);
        const document = this.documentsById.get(id);
        if (document !== undefined) found.push(document);
      }
    }
    return found;
  }

  /** Stores a new document (adding an ObjectId `_id` if missing) and returns it as stored. */
  insert(document: Document): Document {
    const stored = withDocumentId(document);
    const id = valueKey(stored._id);
    if (this.documentsById.has(id)) throw duplicateKeyError(this.namespace, ID_INDEX_SPEC.name, ID_INDEX_SPEC.key, { _id: stored._id });
    const entries = this.checkedIndexEntries(stored, id);
    entries.forEach((indexEntries, index) => index.add(indexEntries, id));
    this.documentsById.set(id, stored);
    this.notifyWrite({ op: 'insert', ...this.location, document: stored });
    return stored;
  }

  /** Puts `next` in the place of `current`; both must have the same `_id`. */
  replace(current: Document, next: Document): void {
    const id = valueKey(current._id);
    if (valueKey(next._id) !== id) throw immutableIdError();
    const nextEntries = this.checkedIndexEntries(next, id);
    for (const [index, entries] of nextEntries) {
      index.remove(index.entriesOf(current), id);
      index.add(entries, id);
    }
    this.documentsById.set(id, next);
    this.notifyWrite({ op: 'replace', ...this.location, document: next });
  }

  remove(document: Document): void {
    const id = valueKey(document._id);
    for (const index of this.indexes.values()) index.remove(index.entriesOf(document), id);
    this.documentsById.delete(id);
    this.notifyWrite({ op: 'remove', ...this.location, id: document._id });
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /**
   * Builds an index over the existing documents. Returns false when the very same index exists;
   * throws if the name or key pattern is taken by a different index, or existing data violates it.
   */
  createIndex(spec: IndexSpec): boolean {
    // Every collection already has its `_id` index, whatever name the request gives it.
    if (hasSameKeyPattern(spec, ID_INDEX_SPEC)) return false;
    const existing = this.indexSpecs().find((other) => other.name === spec.name || hasSameKeyPattern(other, spec));
    if (existing && isSameIndex(existing, spec)) return false;
    if (existing?.name === spec.name) {
      throw new CommandError('IndexKeySpecsConflict', `An existing index named ${spec.name} has a different key or options`);
    }
    if (existing) {
      throw new CommandError(
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name and options: ${existing.name}`,
      );
    }

    const index = new SecondaryIndex(spec, this.namespace);
    for (const [id, document] of this.documentsById) {
      const entries = index.entriesOf(document);
      index.assertAcceptable(entries, id);
      index.add(entries, id);
    }
    this.indexes.set(spec.name, index);
    this.notifyWrite({ op: 'createIndex', ...this.location, spec });
    return true;
  }

  dropIndex(name: string): void {
    if (name === ID_INDEX_SPEC.name) throw new CommandError('InvalidOptions', 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new CommandError('IndexNotFound', `index not found with name [${name}]`);
    this.notifyWrite({ op: 'dropIndex', ...this.location, name });
  }

  /** Computes the document's entries in every index, throwing before any change if one is refused. */
  private checkedIndexEntries(document: Document, id: string): Map<SecondaryIndex, IndexEntry[]> {
    const entriesByIndex = new Map<SecondaryIndex, IndexEntry[]>();
    for (const index of this.indexes.values()) {
      const entries = index.entriesOf(document);
      index.assertAcceptable(entries, id);
      entriesByIndex.set(index, entries);
    }
    return entriesByIndex;
  }

  /** An index on (`field`, g) with a Date range on g in `filter`, to narrow the lookup on `field`. */
  private dateRangeLookup(field: string, filter: Document): { index: SecondaryIndex; range: DateRange } | undefined {
    for (const index of this.indexes.values()) {
      const rangeField = index.dateRangeFieldAfter(field);
      const range = rangeField === undefined ? undefined : dateRangeOf(filter[rangeField]);
      if (range) return { index, range };
    }
    return undefined;
  }

  private equalityIndexOn(field: string): SecondaryIndex | undefined {
    for (const index of this.indexes.values()) {
      if (index.servesEqualityOn(field)) return index;
    }
    return undefined;
  }
}
