import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { getOperationAST, OperationTypeNode, parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestScope } from '../../lib/http/requestScope';
import type { CircuitStateValue, GatewayMetrics, SubgraphFetchOutcome } from '../plugins/telemetry';
import { failedFetchResponse } from './failedFetchResponse';
import { classifySubgraphFault, faultError, unavailable, type SubgraphFault } from './subgraphFault';

/** How the gateway treats one subgraph's failures. */
export interface SubgraphPolicy {
  /** Time limit of one call, response body included. */
  timeoutMs: number;
  /** Further attempts after a transient failure (connection refused or reset, 502/503/504); queries only. */
  retries: number;
  /** Wait before the first retry; about doubled for each further one (cockatiel's decorrelated jitter). */
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

/** A failed call, as the policies see it: what kind of fault, and the error itself. */
class SubgraphCallFailed extends Error {
  constructor(
    readonly fault: SubgraphFault,
    override readonly cause: unknown,
  ) {
    super(`subgraph call failed: ${fault.kind}`);
  }
}

const isCallFailure = (test: (fault: SubgraphFault) => boolean) => (error: Error) =>
  error instanceof SubgraphCallFailed && test(error.fault);

/**
 * Wraps the calls made to one subgraph for client operations, with cockatiel's policies: a circuit breaker that
 * fails fast while the subgraph is known to be down, bounded retries of queries with jittered exponential backoff
 * (never mutations: a mutation that timed out or lost its connection may have been applied), and, when the
 * subgraph cannot be used, an answer with errors on the fields it would have filled instead of an exception, so
 * that the client keeps the other subgraphs' data. Each failure is logged with the request id; the client sees
 * only its code and a short message. Each call's time and outcome, each retry and each change of the circuit's
 * state go to the gateway's metrics. (The time limit is the fetcher's: see timeLimitedFetcher in subgraphFetcher.ts.)
 */
export class SubgraphGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly queryPolicy: IPolicy;

  constructor(
    private readonly subgraph: string,
    private readonly policy: SubgraphPolicy,
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {
    this.breaker = circuitBreaker(handleWhen(isCallFailure((fault) => fault.breakerFailure)), {
      halfOpenAfter: policy.breakerCoolDownMs,
      breaker: new ConsecutiveBreaker(policy.breakerFailures),
    });
    this.breaker.onStateChange((state) => {
      const circuit = CIRCUIT_STATES[state];
      logger.warn({ subgraph, circuit }, `circuit to ${subgraph} is ${circuit}`);
      metrics.circuitChanged(subgraph, CIRCUIT_STATE_VALUES[state]);
    });
    const retries = retry(handleWhen(isCallFailure((fault) => fault.transient)), {
      maxAttempts: policy.retries,
      backoff: new ExponentialBackoff({ initialDelay: Math.max(policy.retryDelayMs, 1) }),
    });
    retries.onRetry(() => metrics.subgraphRetried(subgraph));
    this.queryPolicy = wrap(retries, this.breaker);
    metrics.circuitChanged(subgraph, CIRCUIT_STATE_VALUES[CircuitState.Closed]);
  }

  async call(fetch: SubgraphFetch, send: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    const document = fetch.document ?? (fetch.request.query ? parse(fetch.request.query) : undefined);
    // Nothing to guard: the data source refuses a fetch without a query by itself.
    if (!document) return send();
    const variables = fetch.request.variables;
    const isQuery = getOperationAST(document, fetch.request.operationName)?.operation === OperationTypeNode.QUERY;
    let attempt = 0;
    const startedAt = performance.now();
    const measure = (outcome: SubgraphFetchOutcome) =>
      this.metrics.subgraphFetched(this.subgraph, outcome, (performance.now() - startedAt) / 1000);
    try {
      const response = await (isQuery ? this.queryPolicy : this.breaker).execute(async () => {
        attempt += 1;
        try {
          return await send();
        } catch (error) {
          const fault = classifySubgraphFault(error);
          const requestId = currentRequestScope()?.requestId;
          this.logger.warn(
            { err: error, requestId, subgraph: this.subgraph, attempt, fault: fault.kind },
            `call to ${this.subgraph} failed`,
          );
          throw new SubgraphCallFailed(fault, error);
        }
      });
      measure('ok');
      return response;
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        measure('circuit-open');
        return failedFetchResponse(document, variables, unavailable(this.subgraph));
      }
      if (error instanceof SubgraphCallFailed) {
        measure(error.fault.kind);
        return failedFetchResponse(document, variables, faultError(this.subgraph, error.fault, error.cause, this.policy.timeoutMs));
      }
      throw error;
    }
  }
}

const CIRCUIT_STATES: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

// An isolated circuit (held open by hand) refuses calls as an open one does.
const CIRCUIT_STATE_VALUES: Record<CircuitState, CircuitStateValue> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};
