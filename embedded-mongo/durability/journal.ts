import { serialize } from 'bson';
import { open, type FileHandle } from 'node:fs/promises';
import type { StorageEffect } from '../storage/catalog';
import { decodeEffects, encodeEffects } from './effects';
import { replaceFileAtomically, writeFully } from './fileSync';
import { DataDamagedError, encodeFrame, type FrameDamage, hasMagic, isFrame, MAGIC_BYTES, parsePayload, readFrame } from './frames';

/**
 * The write-ahead journal: a signature, a header record `{ kind: 'journal', version, baseSequence }` numbered
 * `baseSequence` (the checkpoint it follows), then one record per write command, numbered on from there, holding
 * the command's storage effects.
 */
export const JOURNAL_MAGIC = Buffer.from('EMJRNL01', 'latin1');
const JOURNAL_VERSION = 1;

export interface JournalRecord {
  sequence: number;
  offset: number;
  effects: StorageEffect[];
}

export interface JournalContent {
  baseSequence: number;
  records: JournalRecord[];
  /** The length of the whole records: where the next one is appended. */
  validBytes: number;
  /** An incomplete record at the very end, as an append interrupted by a crash leaves it. */
  tornTail?: FrameDamage;
}

/** Reads a journal strictly: any damage but an incomplete final record throws a DataDamagedError. */
export function readJournal(path: string, content: Buffer): JournalContent {
  if (!hasMagic(content, JOURNAL_MAGIC)) {
    throw new DataDamagedError(
      path,
      0,
      content.length < MAGIC_BYTES ? 'the file ends inside its signature' : 'this is not an embedded-mongo journal',
    );
  }
  const header = readFrame(content, MAGIC_BYTES);
  if (header === undefined) throw new DataDamagedError(path, MAGIC_BYTES, 'the file ends where the journal header was expected');
  if (!isFrame(header)) throw new DataDamagedError(path, MAGIC_BYTES, `journal header: ${header.reason}`);
  const headerPayload = parsePayload(header.payload);
  if (headerPayload?.kind !== 'journal' || headerPayload.version !== JOURNAL_VERSION || headerPayload.baseSequence !== header.sequence) {
    throw new DataDamagedError(path, MAGIC_BYTES, 'the journal header is not one this version writes');
  }
  const baseSequence = header.sequence;
  const records: JournalRecord[] = [];
  let offset = header.end;
  for (;;) {
    const read = readFrame(content, offset);
    if (read === undefined) return { baseSequence, records, validBytes: offset };
    if (!isFrame(read)) {
      if (read.kind === 'incomplete') return { baseSequence, records, validBytes: offset, tornTail: read };
      throw new DataDamagedError(path, read.offset, read.reason);
    }
    const expected = baseSequence + records.length + 1;
    if (read.sequence !== expected)
      throw new DataDamagedError(path, offset, `record ${read.sequence} where record ${expected} was expected`);
    let effects: StorageEffect[];
    try {
      effects = decodeEffects(read.payload);
    } catch (error) {
      throw new DataDamagedError(
        path,
        offset,
        `record ${read.sequence} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    records.push({ sequence: read.sequence, offset, effects });
    offset = read.end;
  }
}

export function journalHeader(baseSequence: number): Buffer {
  return Buffer.concat([
    JOURNAL_MAGIC,
    encodeFrame(baseSequence, serialize({ kind: 'journal', version: JOURNAL_VERSION, baseSequence, createdAt: new Date() })),
  ]);
}

/** Writes a journal holding only its header, atomically. */
export async function createJournal(path: string, baseSequence: number, records: Buffer = Buffer.alloc(0)): Promise<number> {
  const content = Buffer.concat([journalHeader(baseSequence), records]);
  await replaceFileAtomically(path, (file) => writeFully(file, content, 0));
  return content.length;
}

interface PendingRecord {
  frame: Buffer;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface JournalWriterEvents {
  /** After each fsync, before the writes it covers are acknowledged. */
  durable(baseSequence: number, journalBytes: number): Promise<void>;
  /** After the acknowledgements of a group: the moment to consider a checkpoint. */
  flushed(journalBytes: number): void;
}

/**
 * Appends records and makes them durable before their writes are acknowledged, with group commit: while one
 * write+fdatasync runs, the records that arrive queue up, and the next fdatasync covers all of them at once.
 * A failure to write or sync fails every pending write and all later ones: the journal no longer matches memory.
 */
export class JournalWriter {
  private queue: PendingRecord[] = [];
  private queuedBytes = 0;
  /** Bytes of the group being written and synced right now. */
  private inFlightBytes = 0;
  /** The durability of the last record appended, until it is durable. */
  private lastAppend: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private paused = false;
  private failure: Error | undefined;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private base: number,
    /** The journal's durable length (everything written has been synced). */
    private fileBytes: number,
    private assignedSequence: number,
    private readonly events: JournalWriterEvents,
  ) {}

  /** Opens an existing journal to append after its `validBytes` (cutting off a torn final record). */
  static async open(path: string, content: JournalContent, events: JournalWriterEvents): Promise<JournalWriter> {
    const file = await open(path, 'r+');
    const { size } = await file.stat();
    if (size !== content.validBytes) {
      await file.truncate(content.validBytes);
      await file.sync();
    }
    const lastSequence = content.baseSequence + content.records.length;
    return new JournalWriter(path, file, content.baseSequence, content.validBytes, lastSequence, events);
  }

  get baseSequence(): number {
    return this.base;
  }

  /** The sequence number of the last write appended (durable or not yet). */
  get lastSequence(): number {
    return this.assignedSequence;
  }

  /** Where the record after the last one appended will start, once everything queued is written. */
  get endOffset(): number {
    return this.fileBytes + this.inFlightBytes + this.queuedBytes;
  }

  /** Resolves once every record appended so far is durable; `undefined` when they all are already. */
  whenAllDurable(): Promise<void> | undefined {
    return this.lastAppend;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Journals one command's effects; resolves once they are durable. */
  append(effects: StorageEffect[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const frame = encodeFrame(++this.assignedSequence, encodeEffects(effects));
    const durable = new Promise<void>((resolve, reject) => {
      this.queue.push({ frame, resolve, reject });
      this.queuedBytes += frame.length;
    });
    this.lastAppend = durable;
    const forget = () => {
      if (this.lastAppend === durable) this.lastAppend = undefined;
    };
    durable.then(forget, forget);
    this.startFlushing();
    return durable;
  }

  /**
   * Starts the journal anew after a checkpoint of sequence `checkpointSequence`, whose records end at byte
   * `splitOffset`: the records after it are carried over into a new journal that replaces this one atomically.
   * Appends wait meanwhile (they queue and are acknowledged after).
   */
  async restartAfter(checkpointSequence: number, splitOffset: number): Promise<void> {
    this.paused = true;
    try {
      await this.flushing;
      // Everything appended so far goes to the old journal first: the split offset may lie in the queue.
      await this.flushQueue();
      if (this.failure) return;
      const carried = Buffer.alloc(this.fileBytes - splitOffset);
      if (carried.length > 0) await this.file.read(carried, 0, carried.length, splitOffset);
      const newLength = await createJournal(this.path, checkpointSequence, carried);
      // From here on the old file is no longer the journal: failing to switch to the new one is fatal.
      try {
        const file = await open(this.path, 'r+');
        await this.file.close();
        this.file = file;
        this.base = checkpointSequence;
        this.fileBytes = newLength;
        await this.events.durable(this.base, this.fileBytes);
      } catch (error) {
        this.fail(error, []);
      }
    } finally {
      this.paused = false;
      this.startFlushing();
    }
  }

  /** Waits for every appended record to be durable, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing || (this.queue.length > 0 && !this.failure)) {
      this.startFlushing();
      await this.flushing;
    }
    await this.file.close();
  }

  private startFlushing(): void {
    if (this.flushing || this.paused || this.queue.length === 0) return;
    this.flushing = (async () => {
      while (this.queue.length > 0 && !this.paused && !this.failure) await this.flushQueue();
      this.flushing = undefined;
    })();
  }

  /** One group commit: every queued record in one write and one fdatasync. */
  private async flushQueue(): Promise<void> {
    if (this.queue.length === 0 || this.failure) return;
    const group = this.queue;
    const bytes = Buffer.concat(
      group.map(({ frame }) => frame),
      this.queuedBytes,
    );
    this.queue = [];
    this.queuedBytes = 0;
    this.inFlightBytes = bytes.length;
    try {
      await writeFully(this.file, bytes, this.fileBytes);
      await this.file.datasync();
      this.fileBytes += bytes.length;
      this.inFlightBytes = 0;
      await this.events.durable(this.base, this.fileBytes);
    } catch (error) {
      this.fail(error, group);
      return;
    }
    for (const pending of group) pending.resolve();
    this.events.flushed(this.fileBytes);
  }

  private fail(error: unknown, group: PendingRecord[]): void {
    this.failure = new Error(
      `the journal ${this.path} could not be written (${error instanceof Error ? error.message : String(error)}); the write is not durable`,
    );
    for (const pending of [...group, ...this.queue]) pending.reject(this.failure);
    this.queue = [];
    this.queuedBytes = 0;
  }
}
