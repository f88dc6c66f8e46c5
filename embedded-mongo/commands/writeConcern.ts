import type { Document } from 'bson';
import { CommandError } from '../errors';

/** Commands that change data, and so take a write concern. */
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
]);

const WRITE_CONCERN_FIELDS = new Set(['w', 'j', 'wtimeout', 'fsync', 'provenance']);

/**
 * Answers a write concern as a standalone mongod does, before the command runs. This server journals and
 * fsyncs every write before acknowledging it, so `j: true` (and `fsync: true`) always hold, and
 * `w: 1`/`'majority'` (a majority of one) too; `w: 0` is the driver's unacknowledged write. What a single,
 * unreplicated node cannot honour is refused with mongod's own error (BadValue), never acknowledged as if met.
 */
export function assertWriteConcernCanBeMet(commandName: string, command: Document): void {
  const concern: unknown = command.writeConcern;
  if (concern === undefined) return;
  if (!WRITE_COMMANDS.has(commandName)) throw new CommandError('InvalidOptions', 'Command does not support writeConcern');
  if (typeof concern !== 'object' || concern === null || Array.isArray(concern)) {
    throw new CommandError('FailedToParse', "BSON field 'writeConcern' is the wrong type, expected type 'object'");
  }
  const { w, j, fsync } = concern as Document;
  const unknownField = Object.keys(concern).find((field) => !WRITE_CONCERN_FIELDS.has(field));
  if (unknownField !== undefined) throw new CommandError('FailedToParse', `unrecognized write concern field: ${unknownField}`);
  if (j !== undefined && typeof j !== 'boolean' && typeof j !== 'number')
    throw new CommandError('FailedToParse', 'j must be numeric or a boolean value');
  if (fsync !== undefined && typeof fsync !== 'boolean' && typeof fsync !== 'number')
    throw new CommandError('FailedToParse', 'fsync must be numeric or a boolean value');
  if (Boolean(j) && Boolean(fsync)) throw new CommandError('FailedToParse', 'fsync and j options cannot be used together');
  if (w === undefined) return;
  if (typeof w === 'number') {
    if (!Number.isInteger(w) || w < 0)
      throw new CommandError('FailedToParse', 'w has to be a non-negative number and not greater than 50; found: ' + String(w));
    if (w > 1) throw new CommandError('BadValue', "cannot use 'w' > 1 when a host is not replicated");
    return;
  }
  if (typeof w !== 'string') throw new CommandError('FailedToParse', 'w has to be a number, string, or object');
  if (w !== 'majority')
    throw new CommandError('BadValue', `cannot use non-majority 'w' mode ${w} when a host is not a member of a replica set`);
}
