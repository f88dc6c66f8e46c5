import { collectDefaultMetrics, Registry } from 'prom-client';

/** Latency buckets in seconds, from 5 ms to the subgraph calls' default time limit (10 s). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Bucket for database commands, which mostly take well under a millisecond on a nearby server. */
export const COMMAND_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * One service's metrics (the gateway or a subgraph), each series labelled with its name, Node's runtime metrics
 * (event loop lag, heap, GC, CPU) included. One registry per service rather than prom-client's global one, so that
 * services sharing a process (the tests) keep their figures apart.
 */
export function serviceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
