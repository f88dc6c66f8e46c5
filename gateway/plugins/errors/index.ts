import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { callerSeesInternals, stackTraceFor } from '../../../lib/errors/disclosure';
import { currentRequestScope } from '../../../lib/http/requestScope';
import { isPublicCode } from './publicCodes';

export interface ClientErrorOptions {
  /** Strips "Did you mean …" hints. */
  production: boolean;
  /** NODE_ENV=development: an authenticated admin sees internal errors in full, with stack traces (lib/errors). */
  development: boolean;
  /** Codes the gateway's own features raise, shown to clients as they are. */
  gatewayCodes: readonly string[];
  /** Where errors hidden from clients are recorded in full. */
  logger: Logger;
}

const SUGGESTION = / ?Did you mean .+\?$/;

/**
 * Apollo's `formatError` and `includeStacktraceInErrorResponses` for the gateway. Every error carries the
 * request id. An error without a public code (a Mongo message, "connect ECONNREFUSED …") is logged in full;
 * the client gets only "Internal error; quote request id …" so support can find the log line, unless it may
 * see internals (an authenticated admin in development, see lib/errors), who also gets stack traces.
 */
export function clientErrors(
  options: ClientErrorOptions,
): Pick<ApolloServerOptions<BaseContext>, 'formatError' | 'includeStacktraceInErrorResponses'> {
  const gatewayCodes = new Set(options.gatewayCodes);
  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = currentRequestScope()?.requestId ?? 'unknown';
    const seesInternals = callerSeesInternals(options.development);
    const { stacktrace: passedOnStack, exception: _exception, response, ...extensions } = formatted.extensions ?? {};
    const serviceName = typeof extensions.serviceName === 'string' ? extensions.serviceName : undefined;
    if (!isPublicCode(extensions.code, serviceName !== undefined, gatewayCodes)) {
      options.logger.error({ err: error, requestId, code: extensions.code, serviceName, path: formatted.path }, 'internal error');
      if (!seesInternals) {
        return {
          message: `Internal error; quote request id ${requestId}`,
          ...(formatted.locations && { locations: formatted.locations }),
          ...(formatted.path && { path: formatted.path }),
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        };
      }
    }
    const stacktrace = stackTraceFor(error, options.development, passedOnStack);
    return {
      ...formatted,
      message: options.production ? formatted.message.replace(SUGGESTION, '') : formatted.message,
      extensions: {
        ...extensions,
        // A subgraph's HTTP response (its URL and body) helps whoever runs the graph, not its clients.
        ...(seesInternals && response !== undefined && { response }),
        ...(stacktrace && { stacktrace }),
        requestId,
      },
    };
  };
  // Apollo would add every error's stack for every caller; formatError adds it for those who may see it.
  return { formatError, includeStacktraceInErrorResponses: false };
}
