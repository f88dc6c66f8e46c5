import type { Document } from 'bson';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog } from '../storage/catalog';
import { parseIndexSpec } from '../storage/indexSpec';
import { captureCatalog, CHECKPOINT_MAGIC, writeCheckpoint } from './checkpoint';
import { DataLock, type LockState } from './dataLock';
import { CHECKPOINT_FILE, JOURNAL_FILE } from './durableStorage';
import { applyEffect, decodeEffects, describeEffect } from './effects';
import { findNextFrame, type Frame, hasMagic, isFrame, MAGIC_BYTES, parsePayload, readFileIfExists, readFrame } from './frames';
import { createJournal, JOURNAL_MAGIC } from './journal';

export interface SalvageReport {
  /** False when both files were intact: nothing was changed. */
  salvaged: boolean;
  /** Where the damaged files were copied before being replaced. */
  asideDirectory?: string;
  /** The write sequence number the fresh checkpoint holds. */
  sequence: number;
  documents: number;
  /** What could not be kept, each with its file and byte offset. */
  lost: string[];
  notices: string[];
}

/**
 * Keeps what is intact in a damaged data folder: every intact checkpoint record and every intact journal record
 * (records after a damaged one too: each carries whole documents, applied as "make it so"), then writes a fresh
 * checkpoint and an empty journal, after copying the damaged files aside. The report names every loss.
 * The folder must not be in use (its lock is taken like a server's).
 */
export async function salvageDataDirectory(directory: string): Promise<SalvageReport> {
  const notices: string[] = [];
  const { lock, previous } = await DataLock.acquire(directory, (message) => notices.push(message));
  try {
    const catalog = new Catalog();
    const lost: string[] = [];
    const checkpointPath = join(directory, CHECKPOINT_FILE);
    const journalPath = join(directory, JOURNAL_FILE);
    const checkpointSequence = await salvageCheckpoint(checkpointPath, catalog, lost);
    const lastSequence = await salvageJournal(
      journalPath,
      catalog,
      checkpointSequence,
      previous === 'unreadable' ? undefined : previous,
      lost,
    );
    const sequence = Math.max(checkpointSequence ?? 0, lastSequence ?? 0);
    const documents = catalog
      .databaseNames()
      .reduce((total, database) => total + catalog.collections(database).reduce((sum, store) => sum + store.size, 0), 0);
    if (lost.length === 0) {
      await lock.restorePrevious();
      return { salvaged: false, sequence, documents, lost, notices };
    }

    const asideDirectory = join(directory, `damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await mkdir(asideDirectory);
    for (const path of [checkpointPath, journalPath]) {
      await copyFile(path, join(asideDirectory, path.slice(directory.length + 1))).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
    await writeCheckpoint(checkpointPath, sequence, captureCatalog(catalog));
    const journalBytes = await createJournal(journalPath, sequence);
    await lock.recordDurable(sequence, journalBytes);
    await lock.release();
    return { salvaged: true, asideDirectory, sequence, documents, lost, notices };
  } catch (error) {
    await lock.restorePrevious().catch(() => undefined);
    throw error;
  }
}

/**
 * Walks a file's records, skipping damage: each damaged stretch is reported, and reading resumes at the next
 * intact record. Calls `onRecord` for every intact one.
 */
function walkRecords(
  path: string,
  content: Buffer,
  magic: Buffer,
  lost: string[],
  onRecord: (frame: Frame) => void,
): { end: number; tornAt?: number } {
  if (!hasMagic(content, magic)) lost.push(`${path} byte 0: the file's signature is damaged`);
  let offset = MAGIC_BYTES;
  for (;;) {
    const read = readFrame(content, offset);
    if (read === undefined) return { end: offset };
    if (isFrame(read)) {
      onRecord(read);
      offset = read.end;
      continue;
    }
    const next = findNextFrame(content, offset + 1);
    if (next === undefined && read.kind === 'incomplete') return { end: offset, tornAt: offset };
    const until = next?.offset ?? content.length;
    lost.push(`${path} bytes ${offset}–${until}: ${read.reason}`);
    if (next === undefined) return { end: content.length };
    offset = next.offset;
  }
}

async function salvageCheckpoint(path: string, catalog: Catalog, lost: string[]): Promise<number | undefined> {
  const content = await readFileIfExists(path);
  if (content === undefined) return undefined;
  let sequence: number | undefined;
  let announcedCollections: number | undefined;
  // Set inside the callback below, which the compiler does not follow.
  let sawEnd = false as boolean;
  const announced = new Map<string, { count: number; kept: number; indexes: unknown[]; offset: number }>();
  const { tornAt } = walkRecords(path, content, CHECKPOINT_MAGIC, lost, (frame) => {
    const record = parsePayload(frame.payload);
    const namespace = `${String(record?.database)}.${String(record?.collection)}`;
    switch (record?.kind) {
      case 'checkpoint':
        sequence = record.sequence as number;
        announcedCollections = record.collections as number;
        return;
      case 'collection':
        announced.set(namespace, {
          count: record.documentCount as number,
          kept: 0,
          indexes: record.indexes as unknown[],
          offset: frame.offset,
        });
        catalog.obtainCollection(record.database as string, record.collection as string);
        return;
      case 'documents': {
        const store = catalog.obtainCollection(record.database as string, record.collection as string);
        const entry = announced.get(namespace);
        for (const document of record.documents as Document[]) {
          try {
            store.insert(document);
            if (entry) entry.kept++;
          } catch (error) {
            lost.push(
              `${path} byte ${frame.offset}: a document of ${namespace} (_id ${String(document._id)}) cannot be loaded: ${String(error)}`,
            );
          }
        }
        return;
      }
      case 'end':
        sawEnd = true;
        return;
      default:
        lost.push(`${path} byte ${frame.offset}: a record of unknown kind`);
    }
  });
  if (tornAt !== undefined) lost.push(`${path} byte ${tornAt}: the file is cut short inside a record`);
  if (sequence === undefined)
    lost.push(`${path}: the header is lost, so the checkpoint's write sequence is unknown: every journal record is replayed`);
  if (!sawEnd) lost.push(`${path}: the end marker is missing: whatever followed the last intact record is lost`);
  if (announcedCollections !== undefined && announced.size < announcedCollections) {
    lost.push(
      `${path}: ${announcedCollections - announced.size} of ${announcedCollections} collections lost entirely (their records are damaged or missing)`,
    );
  }
  for (const [namespace, { count, kept, indexes, offset }] of announced) {
    if (kept < count) lost.push(`${path}: ${count - kept} of the ${count} documents of ${namespace} lost`);
    const [database, ...rest] = namespace.split('.');
    const store = catalog.obtainCollection(database as string, rest.join('.'));
    for (const spec of indexes) {
      try {
        store.createIndex(parseIndexSpec(spec));
      } catch (error) {
        lost.push(`${path} byte ${offset}: index ${String((spec as Document).name)} of ${namespace} cannot be rebuilt: ${String(error)}`);
      }
    }
  }
  return sequence;
}

async function salvageJournal(
  path: string,
  catalog: Catalog,
  checkpointSequence: number | undefined,
  previous: LockState | undefined,
  lost: string[],
): Promise<number | undefined> {
  const content = await readFileIfExists(path);
  if (content === undefined) {
    if (checkpointSequence !== undefined) lost.push(`${path}: the journal is missing: the writes after the checkpoint are lost`);
    return undefined;
  }
  let base: number | undefined;
  let lastSequence: number | undefined;
  const { end, tornAt } = walkRecords(path, content, JOURNAL_MAGIC, lost, (frame) => {
    if (frame.offset === MAGIC_BYTES && parsePayload(frame.payload)?.kind === 'journal') {
      base = frame.sequence;
      lastSequence = frame.sequence;
      return;
    }
    if (lastSequence !== undefined && frame.sequence > lastSequence + 1) {
      lost.push(
        `${path}: journal records ${lastSequence + 1}–${frame.sequence - 1} are lost (in the damaged bytes before byte ${frame.offset})`,
      );
    }
    lastSequence = Math.max(lastSequence ?? 0, frame.sequence);
    if (checkpointSequence !== undefined && frame.sequence <= checkpointSequence) return;
    let effects;
    try {
      effects = decodeEffects(frame.payload);
    } catch (error) {
      lost.push(`${path} byte ${frame.offset}: journal record ${frame.sequence} cannot be read: ${String(error)}`);
      return;
    }
    for (const effect of effects) {
      try {
        applyEffect(catalog, effect, 'salvage');
      } catch (error) {
        lost.push(
          `${path} byte ${frame.offset}: journal record ${frame.sequence}, ${describeEffect(effect)}, cannot be applied: ${String(error)}`,
        );
      }
    }
  });
  if (base === undefined) lost.push(`${path} byte ${MAGIC_BYTES}: the journal header is lost`);
  const acknowledged = previous !== undefined && previous.journalBase === base ? previous.journalBytes : 0;
  if (tornAt !== undefined) {
    lost.push(
      tornAt >= acknowledged
        ? `${path} byte ${tornAt}: an incomplete final record, an append cut off by a crash (never acknowledged)`
        : `${path} byte ${tornAt}: the journal is cut short inside a record`,
    );
  }
  if (end < acknowledged)
    lost.push(
      `${path}: the journal ends at byte ${end} but writes were acknowledged up to byte ${acknowledged}: the records in between are lost`,
    );
  return lastSequence;
}
