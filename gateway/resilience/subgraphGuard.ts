import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestScope } from '../../lib/http/requestScope';
import { CircuitBreaker } from './circuitBreaker';
import { failedFetchResponse } from './failedFetchResponse';
import { classifySubgraphFault, faultError, unavailable } from './subgraphFault';

/** How the gateway treats one subgraph's failures. */
export interface SubgraphPolicy {
  /** Time limit of one call, response body included. */
  timeoutMs: number;
  /** Further attempts after a transient failure (connection refused or reset, 502/503/504); queries only. */
  retries: number;
  /** Wait before the first retry; doubled for each further one, with jitter. */
  retryDelayMs: number;
  /** Consecutive failed calls (retries included) that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before one trial. */
  breakerCoolDownMs: number;
}

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** What the gateway asks of the subgraph: one fetch of its query plan. */
export interface SubgraphFetch {
  request: { query?: string; operationName?: string; variables?: Record<string, unknown> };
  /** The fetch's parsed operation, when the query planner provides it. */
  document?: DocumentNode;
}

/**
 * Wraps the calls made to one subgraph for client operations: a circuit breaker that fails fast while the
 * subgraph is known to be down, bounded retries of queries (never mutations: a mutation that timed out or
 * lost its connection may have been applied), and, when the subgraph cannot be used, an answer with errors
 * on the fields it would have filled instead of an exception, so that the client keeps the other subgraphs'
 * data. Each failure is logged with the request id; the client sees only its code and a short message.
 */
export class SubgraphGuard {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly subgraph: string,
    private readonly policy: SubgraphPolicy,
    private readonly logger: Logger,
  ) {
    this.breaker = new CircuitBreaker({
      failureThreshold: policy.breakerFailures,
      coolDownMs: policy.breakerCoolDownMs,
      onStateChange: (state) => logger.warn({ subgraph, circuit: state }, `circuit to ${subgraph} is ${state}`),
    });
  }

  async call(fetch: SubgraphFetch, send: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    const document = fetch.document ?? (fetch.request.query ? parse(fetch.request.query) : undefined);
    // Nothing to guard: the data source refuses a fetch without a query by itself.
    if (!document) return send();
    const variables = fetch.request.variables;
    const isQuery = getOperationAST(document, fetch.request.operationName)?.operation === 'query';
    const attempts = 1 + (isQuery ? this.policy.retries : 0);
    for (let attempt = 1; ; attempt += 1) {
      if (!this.breaker.tryAcquire()) return failedFetchResponse(document, variables, unavailable(this.subgraph));
      try {
        const response = await send();
        this.breaker.recordSuccess();
        return response;
      } catch (error) {
        const fault = classifySubgraphFault(error);
        if (fault.breakerFailure) this.breaker.recordFailure();
        else this.breaker.recordSuccess();
        const requestId = currentRequestScope()?.requestId;
        this.logger.warn({ err: error, requestId, subgraph: this.subgraph, attempt, fault: fault.kind }, `call to ${this.subgraph} failed`);
        if (!fault.transient || attempt >= attempts) {
          return failedFetchResponse(document, variables, faultError(this.subgraph, fault, error, this.policy.timeoutMs));
        }
        await delay(this.retryDelay(attempt));
      }
    }
  }

  private retryDelay(attempt: number): number {
    const exponential = this.policy.retryDelayMs * 2 ** (attempt - 1);
    return exponential / 2 + Math.random() * (exponential / 2);
  }
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
