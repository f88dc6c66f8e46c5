import type { Catalog } from '../storage/catalog';
import { captureCatalog, writeSnapshotFile } from './snapshotFile';

/**
 * Keeps the snapshot file up to date: after a write, saves within `minimumDelayMs`, at most one save
 * at a time. Under a steady stream of writes this saves periodically rather than never, and the delay
 * grows with the cost of a save so a large data set does not spend its time serializing itself.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private hasUnsavedWrites = false;
  private lastSaveDurationMs = 0;

  constructor(
    private readonly path: string,
    private readonly catalog: Catalog,
    private readonly minimumDelayMs = 1000,
  ) {
    catalog.onWrite(() => this.scheduleSave());
  }

  /** Saves any unsaved writes, then stops scheduling saves. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  private scheduleSave(): void {
    this.hasUnsavedWrites = true;
    if (this.timer !== undefined) return;
    const delay = Math.max(this.minimumDelayMs, 4 * this.lastSaveDurationMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save().catch((error: unknown) => {
        this.hasUnsavedWrites = true;
        process.emitWarning(`embedded-mongo could not save its snapshot to ${this.path}: ${String(error)}`);
      });
    }, delay);
    // Pending saves must not keep the process alive; stop() does the final save.
    this.timer.unref();
  }

  private async save(): Promise<void> {
    // A failure of the save in progress is reported by whoever started it.
    while (this.saving !== undefined) await this.saving.catch(() => undefined);
    if (!this.hasUnsavedWrites) return;
    this.hasUnsavedWrites = false;
    const startedAt = Date.now();
    this.saving = writeSnapshotFile(this.path, captureCatalog(this.catalog)).finally(() => {
      this.saving = undefined;
      this.lastSaveDurationMs = Date.now() - startedAt;
    });
    await this.saving;
  }
}
