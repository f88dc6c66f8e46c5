import { GraphQLError } from 'graphql';
import type { DomainErrorCode } from '../../lib/errorCodes';

function codedError(code: DomainErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function badInput(message: string, field?: string): GraphQLError {
  return codedError('BAD_USER_INPUT', message, field ? { field } : {});
}

/**
 * No record `id` that the caller may know of: also what a record they may not know exists answers (see
 * `Access.require`), so the message says nothing either way.
 */
export function notFound(typeName: string, id: string): GraphQLError {
  return codedError('NOT_FOUND', `There is no ${typeName} ${id} that you can see.`, { typeName, id });
}

export function forbidden(message = 'You may not see or change this.'): GraphQLError {
  return codedError('FORBIDDEN', message);
}

export function conflict(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return codedError('CONFLICT', message, extra);
}

/** MongoDB's duplicate-key error (E11000), which unique indexes raise. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
