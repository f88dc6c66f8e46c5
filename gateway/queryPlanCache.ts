import type { ApolloGateway } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

type ApolloGatewayConfig = NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>;
type QueryPlanCache = NonNullable<NonNullable<ApolloGatewayConfig['queryPlannerConfig']>['cache']>;

/**
 * The gateway's query plans by operation, in Apollo's LRU cache of about `mebibytes` (the one the gateway builds by
 * itself, sized the same way, made here so that each lookup is reported to `onLookup`, hit or miss). A plan costs
 * milliseconds to compute and a few kilobytes to keep; a cache big enough for every operation clients
 * actually send (the safelist's, with a margin for ad-hoc ones) means each is planned once per process.
 * 0 keeps nothing: every operation is planned afresh (to measure what the cache saves).
 */
export function queryPlanCacheConfig(mebibytes: number, onLookup: (hit: boolean) => void): Pick<ApolloGatewayConfig, 'queryPlannerConfig'> {
  const cache: QueryPlanCache =
    mebibytes === 0
      ? NO_CACHE
      : new InMemoryLRUCache({ maxSize: 2 ** 20 * mebibytes, sizeCalculation: (plan) => InMemoryLRUCache.sizeCalculation(plan) });
  return {
    queryPlannerConfig: {
      cache: {
        get: async (key) => {
          const plan = await cache.get(key);
          onLookup(plan !== undefined);
          return plan;
        },
        set: (key, plan, options) => cache.set(key, plan, options),
        delete: (key) => cache.delete(key),
        clear: () => cache.clear(),
      },
    },
  };
}

const NO_CACHE: QueryPlanCache = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => true,
  clear: () => undefined,
};
