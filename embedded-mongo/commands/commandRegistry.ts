import { aggregate } from './aggregateCommand';
import { create, drop, dropDatabase, listCollections, listDatabases } from './catalogCommands';
import type { CommandHandler } from './commandHandler';
import { count } from './countCommand';
import { find, getMore, killCursors } from './cursorCommands';
import { deleteCommand } from './deleteCommand';
import { distinct } from './distinctCommand';
import { findAndModify } from './findAndModifyCommand';
import { buildInfo, endSessions, hello, isMaster, ping } from './handshakeCommands';
import { createIndexes, dropIndexes, listIndexes } from './indexCommands';
import { insert } from './insertCommand';
import { update } from './updateCommand';

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
