import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from 'pino';
import type { SubgraphSigning } from '../lib/auth/subgraphSignature';
import { REQUEST_ID_HEADER } from '../lib/http/requestId';
import { injectTraceContext } from '../lib/telemetry/requestSpan';
import { MAX_REPRESENTATIONS } from '../lib/limits/representations';
import { EntityBatch, joinEntityAnswers, slicesOf } from './entityBatch';
import type { GatewayContext } from './plugins/auth';
import type { GatewayMetrics } from './plugins/telemetry';
import { SubgraphGuard, type SubgraphPolicy } from './resilience/subgraphGuard';
import { signingFetcher, timeLimitedFetcher } from './subgraphFetcher';

export interface ForwardingDataSourceOptions {
  /** The subgraph's name in the supergraph. */
  name: string;
  /** Where the subgraph is served; the supergraph records one for each. */
  url?: string;
  policy: SubgraphPolicy;
  logger: Logger;
  /** How to call the subgraph (see subgraphFetcher.ts); Apollo's own fetcher when not given. */
  fetcher?: RemoteGraphQLDataSource['fetcher'];
  /** Every call is signed with it, whichever fetcher sends it. */
  signing: SubgraphSigning;
  /** Where each call's time and outcome, retries and circuit changes are measured. */
  metrics: GatewayMetrics;
}

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/**
 * Calls a subgraph with the client's own Authorization header (identity is propagated as the token
 * itself; each subgraph verifies it), the request id, so one operation can be followed across logs, and the
 * W3C `traceparent` of the gateway's fetch span, so that the subgraph's spans join the operation's trace.
 * Every call is signed (subgraphs serve nothing else) and time-limited, and guarded (retries, circuit
 * breaker, partial answers) for client operations. An `_entities` fetch sends each distinct representation
 * once, and at most MAX_REPRESENTATIONS in one call, the most a subgraph accepts.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly guard: SubgraphGuard;

  constructor({ name, url, policy, logger, fetcher, signing, metrics }: ForwardingDataSourceOptions) {
    super({ url, ...(fetcher && { fetcher }) });
    this.fetcher = timeLimitedFetcher(signingFetcher(this.fetcher, signing), policy.timeoutMs);
    this.guard = new SubgraphGuard(name, policy, logger, metrics);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Only client operations carry a caller; the gateway's own health checks have none to forward.
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    headers?.set('authorization', options.context.authorization);
    headers?.set(REQUEST_ID_HEADER, options.context.requestId);
    if (headers) injectTraceContext(headers);
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    if (!('incomingRequestContext' in options)) return super.process(options);
    return this.guard.call(options, () => this.processDistinctEntities(options));
  }

  /** Sends an `_entities` fetch with each distinct representation once (see EntityBatch). */
  private async processDistinctEntities(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const representations: unknown = options.request.variables?.representations;
    if (!Array.isArray(representations)) return super.process(options);
    const batch = new EntityBatch(representations);
    if (!batch.hasDuplicates && representations.length <= MAX_REPRESENTATIONS) return super.process(options);

    const response = await this.processInSlices(options, batch.distinct);
    if (!batch.hasDuplicates) return response;
    const entities: unknown = response.data?._entities;
    return {
      ...response,
      ...(Array.isArray(entities) && { data: { ...response.data, _entities: batch.expandEntities(entities) } }),
      ...(response.errors && { errors: batch.expandErrors(response.errors) }),
    };
  }

  /** One call for each MAX_REPRESENTATIONS representations, side by side, answered as one. */
  private async processInSlices(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    representations: readonly unknown[],
  ): Promise<SubgraphResponse> {
    const slices = slicesOf(representations, MAX_REPRESENTATIONS);
    const answers = await Promise.all(
      slices.map((slice) =>
        super.process({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: slice } } }),
      ),
    );
    const [first, ...others] = answers as [SubgraphResponse, ...SubgraphResponse[]];
    if (others.length === 0) return first;
    // Headers and extensions of one answer stand for all; data and errors are joined.
    const { data: _data, errors: _errors, ...shared } = first;
    return {
      ...shared,
      ...joinEntityAnswers(
        answers,
        slices.map((slice) => slice.length),
      ),
    };
  }
}
