import { GraphQLError } from 'graphql';

/** How a call to a subgraph failed, and what that means for retrying it and for its circuit breaker. */
export interface SubgraphFault {
  kind: 'timeout' | 'unavailable' | 'server-error' | 'refused';
  /** Worth another attempt (for a query): the subgraph may well answer the next call. */
  transient: boolean;
  /** Counts towards opening the circuit: the subgraph did not answer, or answered with a 5xx. */
  breakerFailure: boolean;
}

// Connection-level failures: the subgraph is down, restarting, or unreachable.
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

// Statuses a proxy or a restarting server answers with; another attempt may succeed.
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/** Classifies what a subgraph call threw (RemoteGraphQLDataSource throws on network errors and non-2xx). */
export function classifySubgraphFault(error: unknown): SubgraphFault {
  const { name, code, type, extensions } = (error ?? {}) as { name?: unknown; code?: unknown; type?: unknown; extensions?: unknown };
  // Only the gateway's own time limit aborts a subgraph call.
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', transient: false, breakerFailure: true };
  if (type === 'system' || (typeof code === 'string' && NETWORK_ERROR_CODES.has(code))) {
    return { kind: 'unavailable', transient: true, breakerFailure: true };
  }
  const status = error instanceof GraphQLError ? (extensions as { response?: { status?: unknown } }).response?.status : undefined;
  if (typeof status === 'number' && status >= 500) {
    return TRANSIENT_STATUSES.has(status)
      ? { kind: 'unavailable', transient: true, breakerFailure: true }
      : { kind: 'server-error', transient: false, breakerFailure: true };
  }
  // Answered, but not usefully (4xx, a body that is not GraphQL): the subgraph is up.
  return { kind: 'refused', transient: false, breakerFailure: false };
}

/** What clients are told about a fault; for the last two kinds the error's own code and message, masked in production unless public. */
export function faultError(subgraph: string, fault: SubgraphFault, error: unknown, timeoutMs: number): { message: string; code: string } {
  switch (fault.kind) {
    case 'timeout':
      return { message: `The ${subgraph} service did not answer within ${timeoutMs} ms.`, code: 'SUBGRAPH_TIMEOUT' };
    case 'unavailable':
      return unavailable(subgraph);
    case 'server-error':
    case 'refused': {
      const answered = firstErrorOfResponseBody(error);
      if (answered) return answered;
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      return {
        message: error instanceof Error ? error.message : String(error),
        code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
      };
    }
  }
}

/**
 * A subgraph refusing a request (HTTP 400 for a variable its scalar rejects, say) explains why in a GraphQL body:
 * that error, not the bare HTTP status, is what the client needs.
 */
function firstErrorOfResponseBody(error: unknown): { message: string; code: string } | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const body = (error.extensions as { response?: { body?: unknown } }).response?.body as
    { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;
  const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  if (typeof first?.message !== 'string') return undefined;
  const code = first.extensions?.code;
  return { message: first.message, code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' };
}

export function unavailable(subgraph: string): { message: string; code: string } {
  return { message: `The ${subgraph} service is unavailable; try again shortly.`, code: 'SUBGRAPH_UNAVAILABLE' };
}
