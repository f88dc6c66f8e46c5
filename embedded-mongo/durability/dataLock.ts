import { open, readFile, realpath, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileIfExists } from './frames';

/**
 * The exclusive lock on a data folder: the file `embedded-mongo.lock`, which names the process using the folder.
 *
 * Like mongod's `mongod.lock` it also says whether that process stopped cleanly, and how many bytes of the
 * journal had been made durable (acknowledged) by then: after each journal fsync the process rewrites that
 * number in place, without an fsync of its own (a crash of the process leaves it in the page cache; only a
 * power cut can leave it behind, which errs on the lenient side). Start-up then refuses a journal shorter than
 * that, and accepts a torn final record only beyond it.
 *
 * Taking the lock: the lock file is read and replaced under a short-lived `embedded-mongo.lock.acquiring`, created
 * exclusively (`O_EXCL`), so two processes starting at once cannot both win. A lock whose process is running is
 * refused; one whose process no longer exists (killed, crashed) is stale and taken over, with a notice.
 */
export const LOCK_FILE = 'embedded-mongo.lock';
const ACQUIRING_SUFFIX = '.acquiring';
const ACQUIRE_ATTEMPTS = 200;

export interface LockState {
  pid: number;
  state: 'running' | 'stopped';
  /** The base sequence of the journal the byte count is about: after a checkpoint the journal starts anew. */
  journalBase: number;
  journalBytes: number;
}

export class DataFolderLockedError extends Error {
  override name = 'DataFolderLockedError';

  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${directory} is in use by process ${pid} (its lock file is ${join(directory, LOCK_FILE)}). ` +
        'Stop that process, or give this one another data folder.',
    );
  }
}

/** Folders locked by this very process: a second server in the same process is refused too. */
const lockedHere = new Set<string>();

export class DataLock {
  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    private readonly key: string,
    private state: LockState,
    private readonly previousText: string | undefined,
  ) {}

  /**
   * Takes the folder's lock, or throws DataFolderLockedError. Returns the lock and what the previous holder
   * left in it (`undefined` without a lock file, `'unreadable'` when its content is not one).
   */
  static async acquire(
    directory: string,
    notice: (message: string) => void,
  ): Promise<{ lock: DataLock; previous: LockState | 'unreadable' | undefined }> {
    const key = await realpath(directory);
    const path = join(directory, LOCK_FILE);
    return withAcquiring(`${path}${ACQUIRING_SUFFIX}`, async () => {
      if (lockedHere.has(key)) throw new DataFolderLockedError(directory, process.pid);
      const previousText = (await readFileIfExists(path))?.toString('utf8');
      const previous = previousText === undefined ? undefined : parseLockState(previousText);
      if (previous !== undefined && previous !== 'unreadable' && previous.state === 'running') {
        // Our own pid in a lock we do not hold is a former process that had it (pids are reused, in containers first).
        if (previous.pid !== process.pid && isRunning(previous.pid)) throw new DataFolderLockedError(directory, previous.pid);
        notice(
          `${path}: process ${previous.pid} did not stop cleanly and no longer runs; taking over its lock and recovering from the journal`,
        );
      }
      if (previous === 'unreadable')
        notice(`${path}: the lock file is unreadable; taking it over (the journal's length cannot be checked against it)`);
      const known = previous === undefined || previous === 'unreadable' ? undefined : previous;
      const state: LockState = {
        pid: process.pid,
        state: 'running',
        journalBase: known?.journalBase ?? 0,
        journalBytes: known?.journalBytes ?? 0,
      };
      const file = await open(path, 'w');
      try {
        await file.write(formatLockState(state), 0);
        await file.sync();
      } catch (error) {
        await file.close();
        throw error;
      }
      lockedHere.add(key);
      return { lock: new DataLock(file, path, key, state, previousText), previous };
    });
  }

  /** Records how much of the journal is durable; called after each journal fsync, before acknowledging. */
  async recordDurable(journalBase: number, journalBytes: number): Promise<void> {
    this.state = { ...this.state, journalBase, journalBytes };
    await this.file.write(formatLockState(this.state), 0);
  }

  /** Marks a clean stop (with the journal's exact length) and releases the folder. */
  async release(): Promise<void> {
    try {
      this.state = { ...this.state, state: 'stopped' };
      await this.file.write(formatLockState(this.state), 0);
      await this.file.sync();
    } finally {
      await this.file.close();
      lockedHere.delete(this.key);
    }
  }

  /**
   * Lets the folder go as it was found, when start-up fails (a damaged file): the lock file gets back what the
   * previous holder left in it, which recovery still needs.
   */
  async restorePrevious(): Promise<void> {
    try {
      await this.file.truncate(0);
      if (this.previousText !== undefined) await this.file.write(this.previousText, 0);
      await this.file.sync();
    } finally {
      await this.file.close();
      lockedHere.delete(this.key);
    }
    if (this.previousText === undefined) await rm(this.path, { force: true });
  }

  /** Lets the folder go without claiming a clean stop: the journal could not be written to the end. */
  async abandon(): Promise<void> {
    await this.file.close();
    lockedHere.delete(this.key);
  }
}

/** Fixed width, so that each update rewrites the same bytes in place; still JSON, for people to read. */
function formatLockState({ pid, state, journalBase, journalBytes }: LockState): string {
  const pad = (value: number, width: number) => String(value).padStart(width);
  return `{"pid":${pad(pid, 10)},"state":"${state}","journalBase":${pad(journalBase, 16)},"journalBytes":${pad(journalBytes, 16)}}\n`;
}

function parseLockState(text: string): LockState | 'unreadable' {
  try {
    const parsed = JSON.parse(text) as Partial<LockState>;
    const { pid, state, journalBase, journalBytes } = parsed;
    const counts = [pid, journalBase, journalBytes].every((value) => Number.isSafeInteger(value) && (value as number) >= 0);
    return counts && (state === 'running' || state === 'stopped') ? (parsed as LockState) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `critical` while holding the exclusive `.acquiring` file; one left by a process that died is removed. */
async function withAcquiring<T>(path: string, critical: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // An empty file is one being written right now, unless it stays empty.
      const abandoned = holder > 0 ? !isRunning(holder) : attempt % 50 === 0;
      if (abandoned) await rm(path, { force: true });
      else if (attempt >= ACQUIRE_ATTEMPTS)
        throw new Error(`${path} has been held by process ${holder} for too long; remove it if no such process runs`);
      else await sleep(10 + Math.random() * 20);
    }
  }
  try {
    return await critical();
  } finally {
    await rm(path, { force: true });
  }
}
