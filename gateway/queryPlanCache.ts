import type { ApolloGateway } from '@apollo/gateway';

type ApolloGatewayConfig = NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>;
type QueryPlanCache = NonNullable<NonNullable<ApolloGatewayConfig['queryPlannerConfig']>['cache']>;

/**
 * The gateway's query plans by operation, in Apollo's LRU cache of about `mebibytes`. A plan costs
 * milliseconds to compute and a few kilobytes to keep; a cache big enough for every operation clients
 * actually send (the safelist's, with a margin for ad-hoc ones) means each is planned once per process.
 * 0 keeps nothing: every operation is planned afresh (to measure what the cache saves).
 */
export function queryPlanCacheConfig(
  mebibytes: number,
): Pick<ApolloGatewayConfig, 'queryPlannerConfig' | 'experimental_approximateQueryPlanStoreMiB'> {
  if (mebibytes === 0) return { queryPlannerConfig: { cache: NO_CACHE } };
  return { experimental_approximateQueryPlanStoreMiB: mebibytes };
}

const NO_CACHE: QueryPlanCache = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => true,
  clear: () => undefined,
};
