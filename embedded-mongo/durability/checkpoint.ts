import { calculateObjectSize, serialize, type Document } from 'bson';
import type { Catalog } from '../storage/catalog';
import { ID_INDEX_SPEC, parseIndexSpec, type IndexSpec } from '../storage/indexSpec';
import { replaceFileAtomically, writeFully } from './fileSync';
import { DataDamagedError, encodeFrame, hasMagic, isFrame, MAGIC_BYTES, parsePayload, readFileIfExists, readFrame } from './frames';

/**
 * A checkpoint is every collection at one journal sequence number, in framed records numbered 0, 1, 2…:
 *
 *   { kind: 'checkpoint', version, sequence, collections }   the header: how many collections follow
 *   { kind: 'collection', database, collection, indexes, documentCount }
 *   { kind: 'documents', database, collection, documents }     as many as that collection's documents need
 *   …
 *   { kind: 'end', records }                                   the end marker: how many records came before it
 *
 * so a file cut anywhere, even exactly between two records, lacks something the header or the end marker
 * announced, and every record has its own checksums. Each record says what it is and where it belongs, so that
 * salvage can keep the intact ones of a damaged file.
 */
export const CHECKPOINT_MAGIC = Buffer.from('EMCKPT01', 'latin1');
const CHECKPOINT_VERSION = 1;
/** Documents are grouped into records of about this size: the offset of a damage stays precise enough. */
const DOCUMENT_RECORD_BYTES = 256 * 1024;
/** Serialized bytes buffered before each write, so a large checkpoint never sits whole in memory. */
const WRITE_CHUNK_BYTES = 4 * 1024 * 1024;

export interface CollectionCapture {
  database: string;
  collection: string;
  indexes: IndexSpec[];
  documents: Document[];
}

/**
 * A point-in-time view of all data. It only copies references: stored documents are never mutated, so the view
 * stays consistent while later writes go on.
 */
export function captureCatalog(catalog: Catalog): CollectionCapture[] {
  return catalog.databaseNames().flatMap((database) =>
    catalog.collections(database).map((store) => ({
      database,
      collection: store.name,
      indexes: store.indexSpecs().filter(({ name }) => name !== ID_INDEX_SPEC.name),
      documents: [...store.documents()],
    })),
  );
}

/** Writes the checkpoint of journal sequence `sequence` atomically (temporary file, fsync, rename, folder fsync). */
export async function writeCheckpoint(path: string, sequence: number, collections: CollectionCapture[]): Promise<void> {
  await replaceFileAtomically(path, async (file) => {
    let position = 0;
    let chunk: Buffer[] = [CHECKPOINT_MAGIC];
    let chunkBytes = MAGIC_BYTES;
    let records = 0;
    const add = async (payload: Document): Promise<void> => {
      const frame = encodeFrame(records++, serialize(payload));
      chunk.push(frame);
      chunkBytes += frame.length;
      if (chunkBytes >= WRITE_CHUNK_BYTES) await flush();
    };
    const flush = async (): Promise<void> => {
      const bytes = Buffer.concat(chunk, chunkBytes);
      await writeFully(file, bytes, position);
      position += bytes.length;
      chunk = [];
      chunkBytes = 0;
    };

    await add({ kind: 'checkpoint', version: CHECKPOINT_VERSION, sequence, collections: collections.length, createdAt: new Date() });
    for (const { database, collection, indexes, documents } of collections) {
      await add({ kind: 'collection', database, collection, indexes, documentCount: documents.length });
      let batch: Document[] = [];
      let batchBytes = 0;
      for (const document of documents) {
        batch.push(document);
        batchBytes += calculateObjectSize(document);
        if (batchBytes >= DOCUMENT_RECORD_BYTES) {
          await add({ kind: 'documents', database, collection, documents: batch });
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await add({ kind: 'documents', database, collection, documents: batch });
    }
    await add({ kind: 'end', records });
    await flush();
  });
}

/**
 * Loads a checkpoint into an empty catalog and returns its journal sequence number; `undefined` when there is
 * none. Anything short of the whole, intact file throws a DataDamagedError naming the byte offset.
 */
export async function loadCheckpoint(path: string, catalog: Catalog): Promise<number | undefined> {
  const content = await readFileIfExists(path);
  if (content === undefined) return undefined;
  if (!hasMagic(content, CHECKPOINT_MAGIC)) {
    throw new DataDamagedError(
      path,
      0,
      content.length < MAGIC_BYTES ? 'the file ends inside its signature' : 'this is not an embedded-mongo checkpoint',
    );
  }
  let offset = MAGIC_BYTES;
  let records = 0;
  const next = (kind: string, expected: string): Document => {
    const read = readFrame(content, offset);
    if (read === undefined) throw new DataDamagedError(path, offset, `the file ends where ${expected} was expected`);
    if (!isFrame(read)) throw new DataDamagedError(path, read.offset, read.reason);
    if (read.sequence !== records) throw new DataDamagedError(path, offset, `record ${read.sequence} where record ${records} was expected`);
    const payload = parsePayload(read.payload);
    if (payload?.kind !== kind) throw new DataDamagedError(path, offset, `a record of another kind where ${expected} was expected`);
    records++;
    const at = offset;
    offset = read.end;
    return { ...payload, at };
  };

  const header = next('checkpoint', 'the checkpoint header');
  if (header.version !== CHECKPOINT_VERSION)
    throw new DataDamagedError(path, MAGIC_BYTES, `unknown checkpoint version ${String(header.version)}`);
  const collectionCount = header.collections as number;
  for (let index = 0; index < collectionCount; index++) {
    const descriptor = next('collection', `collection ${index + 1} of ${collectionCount}`);
    const namespace = `${String(descriptor.database)}.${String(descriptor.collection)}`;
    const documentCount = descriptor.documentCount as number;
    const store = loadInto(path, descriptor.at as number, () =>
      catalog.createCollection(descriptor.database as string, descriptor.collection as string),
    );
    for (let loaded = 0; loaded < documentCount;) {
      const record = next('documents', `document ${loaded + 1} of ${documentCount} of ${namespace}`);
      const documents = record.documents as Document[];
      if (record.database !== descriptor.database || record.collection !== descriptor.collection) {
        throw new DataDamagedError(path, record.at as number, `documents of another collection where those of ${namespace} were expected`);
      }
      if (loaded + documents.length > documentCount)
        throw new DataDamagedError(path, record.at as number, `more documents than the ${documentCount} announced for ${namespace}`);
      loadInto(path, record.at as number, () => documents.forEach((document) => store.insert(document)));
      loaded += documents.length;
    }
    loadInto(path, descriptor.at as number, () =>
      (descriptor.indexes as unknown[]).forEach((spec) => store.createIndex(parseIndexSpec(spec))),
    );
  }
  const end = next('end', 'the end marker');
  if (end.records !== records - 1)
    throw new DataDamagedError(path, end.at as number, `the end marker counts ${String(end.records)} records, not ${records - 1}`);
  if (offset !== content.length)
    throw new DataDamagedError(path, offset, `${content.length - offset} unexpected bytes after the end marker`);
  return header.sequence as number;
}

/** Data that passed its checksums but cannot be loaded (a duplicate key, say) is damage all the same. */
function loadInto<T>(path: string, offset: number, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new DataDamagedError(path, offset, `the record cannot be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
