import { BSONError, type Document } from 'bson';
import { MingoError } from 'mingo/util';

/** The error codes this server reports, named exactly as mongod names them (`codeName`). */
const ERROR_CODES = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  NamespaceNotFound: 26,
  PathNotViable: 28,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  CannotIndexParallelArrays: 171,
  DuplicateKey: 11000,
} as const;

type ErrorCodeName = keyof typeof ERROR_CODES;

/** An error reported to the client as `{ ok: 0, errmsg, code, codeName }`, or as one entry of `writeErrors`. */
export class CommandError extends Error {
  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    /** Extra fields mongod adds for this kind of error, e.g. `keyPattern`/`keyValue` for duplicate keys. */
    readonly details: Document = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  get code(): number {
    return ERROR_CODES[this.codeName];
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.details };
  }

  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.details };
  }
}

/** The one way this server refuses a feature: clearly, instead of answering wrongly. */
export function notSupported(feature: string): CommandError {
  return new CommandError('CommandNotSupported', `${feature} is not supported by the embedded server`);
}

/** Maps anything thrown while executing a command to the error the client will see. */
export function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  // mingo and bson reject malformed queries, updates, pipelines and values: that is the client's input.
  if (error instanceof MingoError || error instanceof BSONError) return new CommandError('BadValue', error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new CommandError('InternalError', message);
}
