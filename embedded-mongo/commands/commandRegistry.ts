import type { Document } from 'bson';
import type { CursorRegistry } from '../query/cursorRegistry';
import type { Catalog } from '../storage/catalog';
import { aggregate } from './aggregateCommand';
import { create, drop, dropDatabase, listCollections, listDatabases } from './catalogCommands';
import { find, getMore, killCursors } from './cursorCommands';
import { findAndModify } from './findAndModifyCommand';
import { buildInfo, endSessions, hello, isMaster, ping } from './handshakeCommands';
import { createIndexes, dropIndexes, listIndexes } from './indexCommands';
import { count, distinct } from './summaryCommands';
import { deleteCommand, insert, update } from './writeCommands';

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

/** Every command the server answers, by the name it arrives under (including mongod's aliases). */
export const COMMAND_HANDLERS: ReadonlyMap<string, CommandHandler> = new Map([
  ['hello', hello],
  ['isMaster', isMaster],
  ['ismaster', isMaster],
  ['ping', ping],
  ['buildInfo', buildInfo],
  ['buildinfo', buildInfo],
  ['endSessions', endSessions],
  ['find', find],
  ['getMore', getMore],
  ['killCursors', killCursors],
  ['insert', insert],
  ['update', update],
  ['delete', deleteCommand],
  ['findAndModify', findAndModify],
  ['findandmodify', findAndModify],
  ['aggregate', aggregate],
  ['count', count],
  ['distinct', distinct],
  ['createIndexes', createIndexes],
  ['listIndexes', listIndexes],
  ['dropIndexes', dropIndexes],
  ['deleteIndexes', dropIndexes],
  ['create', create],
  ['drop', drop],
  ['dropDatabase', dropDatabase],
  ['listCollections', listCollections],
  ['listDatabases', listDatabases],
]);
