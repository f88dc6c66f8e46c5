import { deserialize, serialize, type Document } from 'bson';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Catalog } from '../storage/catalog';
import { ID_INDEX_SPEC, parseIndexSpec, type IndexSpec } from '../storage/indexSpec';

/**
 * The snapshot file is a plain sequence of BSON documents: a header, then for each collection a
 * descriptor `{ database, collection, indexes, documentCount }` followed by its documents.
 */
const FORMAT = 'embedded-mongo-snapshot';
const FORMAT_VERSION = 1;
/** Serialized bytes buffered before each write, so a large snapshot never sits whole in memory. */
const WRITE_CHUNK_BYTES = 4 * 1024 * 1024;

export interface CollectionSnapshot {
  database: string;
  collection: string;
  indexes: IndexSpec[];
  documents: Document[];
}

/**
 * A point-in-time view of all data. It only copies references: stored documents are never
 * mutated, so the view stays consistent while later writes go on.
 */
export function captureCatalog(catalog: Catalog): CollectionSnapshot[] {
  return catalog.databaseNames().flatMap((database) =>
    catalog.collections(database).map((store) => ({
      database,
      collection: store.name,
      indexes: store.indexSpecs().filter(({ name }) => name !== ID_INDEX_SPEC.name),
      documents: [...store.documents()],
    })),
  );
}

/** Writes atomically: readers (and a crash) see either the previous file or the complete new one. */
export async function writeSnapshotFile(path: string, collections: CollectionSnapshot[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporaryPath = `${path}.${process.pid}.tmp`;
  const file = await open(temporaryPath, 'w');
  try {
    let chunk: Uint8Array[] = [serialize({ format: FORMAT, version: FORMAT_VERSION })];
    let chunkBytes = 0;
    const writeChunk = async (): Promise<void> => {
      await file.writeFile(Buffer.concat(chunk));
      chunk = [];
      chunkBytes = 0;
    };
    for (const { database, collection, indexes, documents } of collections) {
      chunk.push(serialize({ database, collection, indexes, documentCount: documents.length }));
      for (const document of documents) {
        const bytes = serialize(document);
        chunk.push(bytes);
        chunkBytes += bytes.length;
        if (chunkBytes >= WRITE_CHUNK_BYTES) await writeChunk();
      }
    }
    await writeChunk();
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporaryPath, path);
}

/** Loads a snapshot into an empty catalog. A missing file means a fresh start; a damaged one is an error. */
export async function restoreSnapshotFile(path: string, catalog: Catalog): Promise<void> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const documents = readDocuments(content, path);
  const header = documents.next().value as Document | undefined;
  if (header?.format !== FORMAT || header.version !== FORMAT_VERSION) {
    throw new Error(`${path} is not an embedded-mongo snapshot (format version ${FORMAT_VERSION})`);
  }
  for (const descriptor of documents) {
    const store = catalog.createCollection(descriptor.database as string, descriptor.collection as string);
    for (let i = 0; i < (descriptor.documentCount as number); i++) {
      const { value, done } = documents.next();
      if (done) throw new Error(`${path} is truncated`);
      store.insert(value);
    }
    for (const spec of descriptor.indexes as unknown[]) store.createIndex(parseIndexSpec(spec));
  }
}

function* readDocuments(content: Buffer, path: string): Generator<Document, void, undefined> {
  for (let offset = 0; offset < content.length; ) {
    const size = content.length - offset >= 4 ? content.readInt32LE(offset) : 0;
    if (size < 5 || offset + size > content.length) throw new Error(`${path} is damaged at byte ${offset}`);
    yield deserialize(content.subarray(offset, offset + size));
    offset += size;
  }
}
