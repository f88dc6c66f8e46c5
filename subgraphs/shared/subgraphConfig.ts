import { sharedLimitsFromEnv, type SharedLimits } from '../../lib/limits';

/** What a deployment may tune in a subgraph; read once, at start. */
export interface SubgraphConfig {
  /** NODE_ENV=development: an authenticated admin gets stack traces (lib/errors). */
  development: boolean;
  /** The gateway's own limits, enforced again on what reaches the subgraph: depth, aliases, body size. */
  limits: SharedLimits;
}

/** NODE_ENV, MAX_QUERY_DEPTH, MAX_ALIASES and MAX_BODY_BYTES; throws a ConfigError on an unusable value. */
export function subgraphConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return { development: env.NODE_ENV === 'development', limits: sharedLimitsFromEnv(env) };
}
