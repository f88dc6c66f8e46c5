import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes all of `bytes` at `position`: one write call may write less than asked. */
export async function writeFully(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

/** Makes a rename or a new file in `directory` durable: the entry itself lives in the folder. */
export async function syncDirectory(directory: string): Promise<void> {
  let folder: FileHandle | undefined;
  try {
    folder = await open(directory, 'r');
    await folder.sync();
  } catch (error) {
    // Some platforms cannot open or sync a folder; there the rename is as durable as they make it.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await folder?.close();
  }
}

/**
 * Replaces `path` atomically with what `write` puts in a temporary file: a reader or a crash sees the old file
 * or the whole new one, never a part. Temporary file synced, renamed, folder synced.
 */
export async function replaceFileAtomically(path: string, write: (file: FileHandle) => Promise<void>): Promise<void> {
  const temporaryPath = `${path}.${process.pid}.tmp`;
  const file = await open(temporaryPath, 'w');
  try {
    await write(file);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporaryPath, path);
  await syncDirectory(dirname(path));
}
