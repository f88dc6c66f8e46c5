import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { OperationTypeNode } from 'graphql';
import { InflightCalls } from './inflightCalls';

type ExecutionResult = Awaited<ReturnType<GatewayExecutor>>;

/**
 * In-flight deduplication: identical queries arriving while one is executing share that execution (its
 * subgraph calls and its result) instead of running again. Identical means the same document, operation
 * name and variables from the same Authorization header, so a caller only ever shares a result computed
 * with its own credentials, and no mutation run through this executor answered in between: a query sent after
 * a write never joins one started before it. Mutations and subscriptions always run. Each request still goes through
 * parsing, validation, limits and authentication on its own; only execution is shared.
 *
 * It wraps the gateway's executor (see withWrappedExecutor), where a shared result is still raw: each request
 * formats (and masks) its errors itself. `onShared` hears of each execution shared rather than run (the
 * gateway counts them).
 */
export function deduplicatingExecutor(executor: GatewayExecutor, onShared: () => void): GatewayExecutor {
  const inflight = new InflightCalls<ExecutionResult>();
  /** Mutations that have run here: part of the key, so that queries on either side of a write never share. */
  let writes = 0;
  return async (requestContext) => {
    if (requestContext.operation.operation === OperationTypeNode.MUTATION) {
      try {
        return await executor(requestContext);
      } finally {
        writes += 1;
      }
    }
    const key = executionKey(requestContext);
    if (key === undefined) return executor(requestContext);
    const { result, shared } = inflight.run(`${writes} ${key}`, () => executor(requestContext));
    if (shared) onShared();
    // A copy of its own for each request: nothing done to one response shows in another.
    return { ...(await result) };
  };
}

/** What makes two executions interchangeable; undefined for operations that must always run. */
export function executionKey(requestContext: GatewayGraphQLRequestContext): string | undefined {
  if (requestContext.operation.operation !== OperationTypeNode.QUERY) return undefined;
  const authorization = requestContext.request.http?.headers.get('authorization') ?? '';
  return JSON.stringify([
    requestContext.queryHash,
    requestContext.operationName,
    canonicalJson(requestContext.request.variables ?? {}),
    authorization,
  ]);
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` name the same variables. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, nested: unknown) =>
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}
