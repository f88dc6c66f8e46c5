import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestScope } from '../../../lib/http/requestScope';
import { isPublicCode } from './publicCodes';

export interface ClientErrorOptions {
  /** Masks every error without a public code and strips "Did you mean …" hints. */
  production: boolean;
  /** Stack traces in `extensions.stacktrace` (the gateway's and those subgraphs pass on); development only. */
  stackTraces: boolean;
  /** Codes the gateway's own features raise, shown to clients as they are. */
  gatewayCodes: readonly string[];
  /** Where errors hidden from clients are recorded in full. */
  logger: Logger;
}

const SUGGESTION = / ?Did you mean .+\?$/;

/**
 * Apollo's `formatError` and `includeStacktraceInErrorResponses` for the gateway. Every error carries the
 * request id. An error without a public code (a Mongo message, "connect ECONNREFUSED …") is logged in full;
 * in production the client gets only "Internal error; quote request id …" so support can find the log line.
 */
export function clientErrors(options: ClientErrorOptions): Pick<ApolloServerOptions<BaseContext>, 'formatError' | 'includeStacktraceInErrorResponses'> {
  const gatewayCodes = new Set(options.gatewayCodes);
  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = currentRequestScope()?.requestId ?? 'unknown';
    const { stacktrace, exception: _exception, response, ...extensions } = formatted.extensions ?? {};
    const serviceName = typeof extensions.serviceName === 'string' ? extensions.serviceName : undefined;
    if (!isPublicCode(extensions.code, serviceName !== undefined, gatewayCodes)) {
      options.logger.error({ err: error, requestId, code: extensions.code, serviceName, path: formatted.path }, 'internal error');
      if (options.production) {
        return {
          message: `Internal error; quote request id ${requestId}`,
          ...(formatted.locations && { locations: formatted.locations }),
          ...(formatted.path && { path: formatted.path }),
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        };
      }
    }
    return {
      ...formatted,
      message: options.production ? formatted.message.replace(SUGGESTION, '') : formatted.message,
      extensions: {
        ...extensions,
        // A subgraph's HTTP response (its URL and body) helps whoever runs the graph, not production clients.
        ...(!options.production && response !== undefined && { response }),
        ...(options.stackTraces && stacktrace !== undefined && { stacktrace }),
        requestId,
      },
    };
  };
  return { formatError, includeStacktraceInErrorResponses: options.stackTraces };
}
