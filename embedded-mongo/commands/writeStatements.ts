import type { Document } from 'bson';
import { asCommandError } from '../errors';

/**
 * Applies the statements of an insert, update or delete in order. A failing statement becomes a
 * `writeErrors` entry; `ordered` writes stop at the first failure, unordered ones carry on.
 */
export function applyWriteStatements<T>(statements: T[], ordered: boolean, apply: (statement: T, index: number) => void): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      apply(statement, index);
    } catch (error) {
      writeErrors.push(asCommandError(error).toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

export function writeReply(counts: Document, writeErrors: Document[]): Document {
  return writeErrors.length === 0 ? { ...counts, ok: 1 } : { ...counts, writeErrors, ok: 1 };
}
