import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog, StorageEffect } from '../storage/catalog';
import { captureCatalog, loadCheckpoint, writeCheckpoint } from './checkpoint';
import { DataLock, type LockState } from './dataLock';
import { applyEffect } from './effects';
import { DataDamagedError, MAGIC_BYTES, readFileIfExists } from './frames';
import { createJournal, type JournalContent, JournalWriter, readJournal } from './journal';

export const CHECKPOINT_FILE = 'embedded-mongo.checkpoint';
export const JOURNAL_FILE = 'embedded-mongo.journal';
/** The single snapshot file of earlier versions, which had no journal. */
const LEGACY_SNAPSHOT_FILE = 'embedded-mongo.bson';
/** A journal longer than this is folded into a new checkpoint. */
export const DEFAULT_CHECKPOINT_JOURNAL_BYTES = 64 * 1024 * 1024;

export interface DurableStorageOptions {
  /** Journal size beyond which a checkpoint is written and the journal starts anew. */
  checkpointJournalBytes?: number;
  /** Where recoveries, lock takeovers and checkpoint failures are reported. */
  notice?: (message: string) => void;
}

/**
 * The data folder of the embedded server: a checkpoint, the write-ahead journal after it, and the lock.
 * Open loads the checkpoint and replays the journal; then every write command's effects are journalled, and
 * `whenDurable()` resolves once they are durable, which is when the command may be acknowledged.
 */
export class DurableStorage {
  private pendingEffects: StorageEffect[] = [];
  private checkpointing: Promise<void> | undefined;

  private constructor(
    private readonly directory: string,
    private readonly catalog: Catalog,
    private readonly lock: DataLock,
    private readonly journal: JournalWriter,
    private readonly options: Required<DurableStorageOptions>,
  ) {
    catalog.onWrite((effect) => this.pendingEffects.push(effect));
  }

  /** Loads `catalog` (empty) from the folder, or refuses: DataFolderLockedError, DataDamagedError. */
  static async open(directory: string, catalog: Catalog, options: DurableStorageOptions = {}): Promise<DurableStorage> {
    const settings: Required<DurableStorageOptions> = {
      checkpointJournalBytes: options.checkpointJournalBytes ?? DEFAULT_CHECKPOINT_JOURNAL_BYTES,
      notice: options.notice ?? ((message) => process.emitWarning(message)),
    };
    await mkdir(directory, { recursive: true });
    const { lock, previous } = await DataLock.acquire(directory, settings.notice);
    try {
      await removeTemporaryFiles(directory);
      const journalPath = join(directory, JOURNAL_FILE);
      const content = await recover(directory, catalog, previous === 'unreadable' ? undefined : previous, settings.notice);
      let storage: DurableStorage | undefined;
      const journal = await JournalWriter.open(journalPath, content, {
        durable: (base, bytes) => lock.recordDurable(base, bytes),
        flushed: (bytes) => storage?.considerCheckpoint(bytes),
      });
      await lock.recordDurable(content.baseSequence, content.validBytes);
      storage = new DurableStorage(directory, catalog, lock, journal, settings);
      return storage;
    } catch (error) {
      await lock.restorePrevious();
      throw error;
    }
  }

  /** Set once the journal could not be written: memory is ahead of the disk, so nothing more is served. */
  get failure(): Error | undefined {
    return this.journal.error;
  }

  /**
   * Journals the effects of the command that just ran, if it changed anything, and resolves once they and every
   * earlier write are durable; `undefined` when all are already (the reply may go at once). A command that only
   * read waits too while writes it may have seen are not yet durable: no reply ever shows data that a crash
   * could still take back (say, a create retried with its clientMutationId, answered from the first attempt).
   */
  whenDurable(): Promise<void> | undefined {
    if (this.pendingEffects.length === 0) return this.journal.whenAllDurable();
    const effects = this.pendingEffects;
    this.pendingEffects = [];
    return this.journal.append(effects);
  }

  /** Waits for the journal to be durable, marks the lock as cleanly stopped and releases it. */
  async close(): Promise<void> {
    await this.checkpointing;
    await this.journal.close();
    if (this.journal.error) await this.lock.abandon();
    else await this.lock.release();
  }

  /** Called after each group commit, between commands: memory is exactly the state of `lastSequence`. */
  private considerCheckpoint(journalBytes: number): void {
    if (this.checkpointing || journalBytes < this.options.checkpointJournalBytes) return;
    const sequence = this.journal.lastSequence;
    const splitOffset = this.journal.endOffset;
    const capture = captureCatalog(this.catalog);
    this.checkpointing = (async () => {
      await writeCheckpoint(join(this.directory, CHECKPOINT_FILE), sequence, capture);
      await this.journal.restartAfter(sequence, splitOffset);
    })()
      .catch((error: unknown) => {
        this.options.notice(
          `embedded-mongo could not write a checkpoint in ${this.directory} (${String(error)}); the journal keeps every write meanwhile`,
        );
      })
      .finally(() => {
        this.checkpointing = undefined;
      });
  }
}

/** Loads the checkpoint, checks the journal against it and the lock, and replays it. */
async function recover(
  directory: string,
  catalog: Catalog,
  previous: LockState | undefined,
  notice: (message: string) => void,
): Promise<JournalContent> {
  const checkpointPath = join(directory, CHECKPOINT_FILE);
  const journalPath = join(directory, JOURNAL_FILE);

  const journalBytes = await readFileIfExists(journalPath);
  if (journalBytes === undefined && (await exists(join(directory, LEGACY_SNAPSHOT_FILE)))) {
    throw new Error(
      `${join(directory, LEGACY_SNAPSHOT_FILE)} is the data file of an earlier version, which had no journal and cannot be trusted to be whole. ` +
        'Move it away (or delete the folder) to start afresh.',
    );
  }
  const checkpointSequence = await loadCheckpoint(checkpointPath, catalog);
  let content: JournalContent;
  if (journalBytes === undefined) {
    if (checkpointSequence !== undefined) {
      throw new DataDamagedError(
        journalPath,
        0,
        `the journal is missing, though the checkpoint (of write ${checkpointSequence}) needs the journal after it`,
      );
    }
    const length = await createJournal(journalPath, 0);
    content = { baseSequence: 0, records: [], validBytes: length };
  } else {
    content = readJournal(journalPath, journalBytes);
    checkAgainstLock(journalPath, content, journalBytes.length, previous, notice);
  }
  const covered = checkpointSequence ?? 0;
  if (content.baseSequence > covered) {
    throw new DataDamagedError(
      journalPath,
      MAGIC_BYTES,
      `the journal follows write ${content.baseSequence}, but the checkpoint only holds writes up to ${covered}: the writes in between are missing`,
    );
  }
  for (const record of content.records) {
    if (record.sequence <= covered) continue;
    try {
      for (const effect of record.effects) applyEffect(catalog, effect, 'exact');
    } catch (error) {
      throw new DataDamagedError(
        journalPath,
        record.offset,
        `record ${record.sequence} cannot be replayed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return content;
}

/**
 * The lock file says how far the journal had been acknowledged. Shorter than that is damage, whatever the
 * shape of the end; beyond it, after a crash, an incomplete final record is an append that never completed and
 * was never acknowledged: it is discarded, and said so. After a clean stop, the journal must end exactly there.
 */
function checkAgainstLock(
  path: string,
  content: JournalContent,
  fileLength: number,
  previous: LockState | undefined,
  notice: (message: string) => void,
): void {
  const end = content.tornTail?.offset ?? content.validBytes;
  if (previous !== undefined && previous.journalBase === content.baseSequence) {
    if (end < previous.journalBytes) {
      const reason = content.tornTail ? `${content.tornTail.reason}, ` : 'the journal ends here, ';
      throw new DataDamagedError(
        path,
        end,
        `${reason}but writes were acknowledged up to byte ${previous.journalBytes} (recorded in the lock file)`,
      );
    }
    if (previous.state === 'stopped' && fileLength > previous.journalBytes) {
      throw new DataDamagedError(
        path,
        previous.journalBytes,
        `${fileLength - previous.journalBytes} unexpected bytes after the end of the journal at its last clean stop`,
      );
    }
  } else if (content.records.length > 0 || content.tornTail) {
    notice(`${path}: the lock file does not record this journal's acknowledged length; its end cannot be checked`);
  }
  if (content.tornTail) {
    notice(
      `${path}: incomplete final record at byte ${content.tornTail.offset} (${content.tornTail.reason}): an append cut off by a crash, never acknowledged; discarded`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Temporary files of a checkpoint or journal that a crash interrupted: they never replaced anything. */
async function removeTemporaryFiles(directory: string): Promise<void> {
  const names = await readdir(directory);
  const leftovers = names.filter((name) => name.startsWith('embedded-mongo.') && name.endsWith('.tmp'));
  await Promise.all(leftovers.map((name) => rm(join(directory, name), { force: true })));
}
