import type { Document } from 'bson';
import { asCommandError, notSupported } from '../errors';
import { COMMAND_HANDLERS, type CommandContext } from './commandRegistry';
import { assertWriteConcernCanBeMet } from './writeConcern';

/**
 * Fields any command may carry that change nothing on a single in-memory node: session ids,
 * cluster time gossip, read concerns (every write is immediately visible), write concerns once
 * checked (see writeConcern.ts), API versioning, and `maxTimeMS` (commands run to completion
 * synchronously).
 */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'maxTimeMS',
  'comment',
]);

/** Fields drivers add to commands that belong to a transaction or a retryable write. */
const TRANSACTION_FIELDS = ['txnNumber', 'autocommit', 'startTransaction'];

/** Runs a command and returns its reply; failures become `{ ok: 0, errmsg, code, codeName }`. */
export function executeCommand(command: Document, context: CommandContext): Document {
  try {
    const [name = ''] = Object.keys(command);
    if (TRANSACTION_FIELDS.some((field) => field in command)) throw notSupported('a transaction or retryable write');
    const handler = COMMAND_HANDLERS.get(name);
    if (handler === undefined) throw notSupported(name === '' ? 'an empty command' : name);
    if ((command.readConcern as Document | undefined)?.level === 'snapshot') throw notSupported("readConcern level 'snapshot'");
    const unknownField = Object.keys(command)
      .slice(1)
      .find((field) => !GENERIC_FIELDS.has(field) && !handler.fields.includes(field));
    if (unknownField !== undefined) throw notSupported(`${name} option '${unknownField}'`);
    assertWriteConcernCanBeMet(name, command);
    return handler.run(command, context);
  } catch (error) {
    return asCommandError(error).toReply();
  }
}
