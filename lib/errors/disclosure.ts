import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { currentRequestScope } from '../http/requestScope';

/**
 * Whether the caller of the current request may see what an error reveals about the service: stack traces
 * (full of file paths), the messages of internal errors, a subgraph's raw HTTP answer. Only an authenticated
 * ADMIN, and only when NODE_ENV=development: never an anonymous caller, never staff, coordinators or partners,
 * never anyone in production or in any other mode. The gateway's and the subgraphs' error formatting both ask here.
 */
export function callerSeesInternals(development: boolean): boolean {
  return development && currentRequestScope()?.caller?.role === 'ADMIN';
}

/**
 * The stack trace to put in `extensions.stacktrace` for `error`, or undefined when the caller may not see one.
 * `passedOn` is the trace a subgraph put in its own error, which says more than the gateway's copy of it.
 */
export function stackTraceFor(error: unknown, development: boolean, passedOn?: unknown): string[] | undefined {
  if (!callerSeesInternals(development)) return undefined;
  if (Array.isArray(passedOn)) return passedOn.filter((line): line is string => typeof line === 'string');
  return error instanceof Error ? error.stack?.split('\n') : undefined;
}

/**
 * A subgraph's error formatting: messages as they are (the gateway is the only caller, and masks what clients
 * may not read), a stack trace only for a caller who may see one.
 */
export function subgraphErrors(
  development: boolean,
): Pick<ApolloServerOptions<BaseContext>, 'formatError' | 'includeStacktraceInErrorResponses'> {
  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { stacktrace: _everyonesStack, ...extensions } = formatted.extensions ?? {};
    const stacktrace = stackTraceFor(error, development);
    return { ...formatted, extensions: { ...extensions, ...(stacktrace && { stacktrace }) } };
  };
  // Apollo would add every error's stack for every caller; formatError adds it for those who may see it.
  return { formatError, includeStacktraceInErrorResponses: false };
}
