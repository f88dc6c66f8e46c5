import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from '../lib/http/requestId';
import { EntityBatch } from './entityBatch';
import type { GatewayContext } from './gatewayContext';
import { SubgraphGuard, type SubgraphPolicy } from './resilience/subgraphGuard';
import { timeLimitedFetcher } from './resilience/timeLimitedFetcher';

export interface ForwardingDataSourceOptions {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** Where the subgraph is served; the supergraph records one for each. */
  url?: string;
  policy: SubgraphPolicy;
  logger: Logger;
  /** How to call the subgraph (see subgraphFetcher.ts); Apollo's own fetcher when not given. */
  fetcher?: RemoteGraphQLDataSource['fetcher'];
}

/**
 * Calls a subgraph with the client's own Authorization header (identity is propagated as the token
 * itself; each subgraph verifies it) and the request id, so one operation can be followed across logs.
 * Calls are time-limited, and guarded (retries, circuit breaker, partial answers) for client operations.
 * An `_entities` fetch sends each distinct representation once.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly guard: SubgraphGuard;

  constructor({ name, url, policy, logger, fetcher }: ForwardingDataSourceOptions) {
    super({ url, ...(fetcher && { fetcher }) });
    this.fetcher = timeLimitedFetcher(this.fetcher, policy.timeoutMs);
    this.guard = new SubgraphGuard(name, policy, logger);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Only client operations carry a caller; the gateway's own health checks have none to forward.
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    headers?.set('authorization', options.context.authorization);
    headers?.set(REQUEST_ID_HEADER, options.context.requestId);
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    if (!('incomingRequestContext' in options)) return super.process(options);
    return this.guard.call(options, () => this.processDistinctEntities(options));
  }

  /** Sends an `_entities` fetch with each distinct representation once (see EntityBatch). */
  private async processDistinctEntities(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    const { variables } = options.request;
    const representations: unknown = variables?.representations;
    const batch = Array.isArray(representations) ? new EntityBatch(representations) : undefined;
    if (!batch?.hasDuplicates) return super.process(options);

    const response = await super.process({ ...options, request: { ...options.request, variables: { ...variables, representations: batch.distinct } } });
    const entities: unknown = response.data?._entities;
    return {
      ...response,
      ...(Array.isArray(entities) && { data: { ...response.data, _entities: batch.expandEntities(entities) } }),
      ...(response.errors && { errors: batch.expandErrors(response.errors) }),
    };
  }
}
