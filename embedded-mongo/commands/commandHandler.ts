import type { Document } from 'bson';
import type { CursorRegistry } from '../query/cursorRegistry';
import type { Catalog } from '../storage/catalog';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  databaseName: string;
  connectionId: number;
}

export interface CommandHandler {
  /** Fields the command understands besides its own name; the dispatcher refuses any other. */
  readonly fields: readonly string[];
  /** Runs synchronously from start to finish: no other command can observe it half-applied. */
  run(command: Document, context: CommandContext): Document;
}
