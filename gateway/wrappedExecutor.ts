import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';

/**
 * The gateway with `wrap` around its executor: where Apollo hands over an operation that passed parsing, validation,
 * limits and authentication, and where a result is still raw (each request formats and masks its own errors). The
 * response cache and in-flight deduplication (plugins/responseCache, plugins/dedup) work there.
 */
export function withWrappedExecutor(gateway: GatewayInterface, wrap: (executor: GatewayExecutor) => GatewayExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      return { ...loaded, executor: loaded.executor && wrap(loaded.executor) };
    },
  };
}
