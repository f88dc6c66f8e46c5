import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../../lib/telemetry/metrics';
import type { SubgraphFault } from '../../resilience/subgraphFault';

/** How a subgraph call ended, as measured: answered, or the fault that made the gateway answer for it. */
export type SubgraphFetchOutcome = 'ok' | SubgraphFault['kind'] | 'circuit-open';

/** A circuit breaker's state, as the gauge reports it: 0 closed, 1 half-open (one trial call), 2 open. */
export type CircuitStateValue = 0 | 1 | 2;

/**
 * What only the gateway measures, beside what every GraphQL service does (lib/telemetry/graphqlTelemetry): each
 * subgraph fetch, retry and circuit breaker, the deduplicated executions, the query plan cache and the response cache. The parts of the
 * gateway that know these facts (resilience, dedup, queryPlanCache, responseCache) report them here and know nothing of Prometheus.
 */
export interface GatewayMetrics {
  subgraphFetched: (subgraph: string, outcome: SubgraphFetchOutcome, seconds: number) => void;
  subgraphRetried: (subgraph: string) => void;
  circuitChanged: (subgraph: string, state: CircuitStateValue) => void;
  executionShared: () => void;
  queryPlanLookedUp: (hit: boolean) => void;
  responseCacheLookedUp: (outcome: ResponseCacheOutcome) => void;
  responseCacheRefreshed: () => void;
}

/** What the response cache did for a query: served it, executed it and kept the answer, or executed it without it. */
export type ResponseCacheOutcome = 'hit' | 'miss' | 'bypass';

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const fetchSeconds = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetches of client operations, retries included, by subgraph and outcome (ok, timeout, unavailable, server-error, refused, circuit-open), in seconds',
    labelNames: ['subgraph', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: 'gateway_subgraph_retries_total',
    help: 'Subgraph calls attempted again after a transient failure, by subgraph',
    labelNames: ['subgraph'],
    registers,
  });
  const circuits = new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: "Each subgraph's circuit breaker: 0 closed, 1 half-open, 2 open (calls fail fast with SUBGRAPH_UNAVAILABLE)",
    labelNames: ['subgraph'],
    registers,
  });
  const shared = new Counter({
    name: 'gateway_deduplicated_operations_total',
    help: 'Queries that shared the execution of an identical one already in flight instead of running again',
    registers,
  });
  const planLookups = new Counter({
    name: 'gateway_query_plan_cache_lookups_total',
    help: 'Query plan cache lookups, by result (hit, or miss: the operation is planned)',
    labelNames: ['result'],
    registers,
  });
  const cacheLookups = new Counter({
    name: 'gateway_response_cache_lookups_total',
    help: 'Queries by what the response cache did: hit (served a kept answer), miss (executed, answer kept if whole), bypass (not cacheable, or the revisions unreadable)',
    labelNames: ['outcome'],
    registers,
  });
  const cacheRefreshes = new Counter({
    name: 'gateway_response_cache_refreshes_total',
    help: 'Kept answers computed again in the background, read in the last quarter of their time',
    registers,
  });
  shared.inc(0);
  cacheRefreshes.inc(0);
  for (const outcome of ['hit', 'miss', 'bypass']) cacheLookups.inc({ outcome }, 0);
  planLookups.inc({ result: 'hit' }, 0);
  planLookups.inc({ result: 'miss' }, 0);
  return {
    subgraphFetched: (subgraph, outcome, seconds) => fetchSeconds.observe({ subgraph, outcome }, seconds),
    subgraphRetried: (subgraph) => retries.inc({ subgraph }),
    circuitChanged: (subgraph, state) => circuits.set({ subgraph }, state),
    executionShared: () => shared.inc(),
    queryPlanLookedUp: (hit) => planLookups.inc({ result: hit ? 'hit' : 'miss' }),
    responseCacheLookedUp: (outcome) => cacheLookups.inc({ outcome }),
    responseCacheRefreshed: () => cacheRefreshes.inc(),
  };
}
