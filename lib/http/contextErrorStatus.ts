import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

interface HttpHead {
  status: number;
  headers: HeaderMap;
}

/**
 * Apollo answers 500 to an error thrown while creating the context unless the error names its own HTTP
 * status. A caller who is not authenticated or not allowed is the client's problem, not ours: 401/403.
 */
export function withContextErrorStatus(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error;
  const standard = standardHeadFor(error.extensions.code);
  if (!standard) return error;
  const own = error.extensions.http as Partial<HttpHead> | undefined;
  const http: HttpHead = {
    status: own?.status ?? standard.status,
    headers: new HeaderMap([...standard.headers, ...(own?.headers ?? [])]),
  };
  // Typed loosely on purpose: some packages augment `extensions.http` with their own, incompatible shape.
  const extensions: Record<string, unknown> = { ...error.extensions, http };
  const withStatus = new GraphQLError(error.message, { originalError: error.originalError ?? undefined, extensions });
  // Development responses show the stack: it should point where the error was raised, not here.
  if (error.stack !== undefined) withStatus.stack = error.stack;
  return withStatus;
}

function standardHeadFor(code: unknown): HttpHead | undefined {
  switch (code) {
    case 'UNAUTHENTICATED':
      // RFC 7235: a 401 names the scheme the client should use.
      return { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) };
    case 'FORBIDDEN':
      return { status: 403, headers: new HeaderMap() };
    default:
      return undefined;
  }
}
