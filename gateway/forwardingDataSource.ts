import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from 'pino';
import type { SubgraphSigning } from '../lib/auth/subgraphSignature';
import { REQUEST_ID_HEADER } from '../lib/http/requestId';
import { injectTraceContext } from '../lib/telemetry/requestSpan';
import { MAX_REPRESENTATIONS } from '../lib/limits/representations';
import { EntityBatch, joinEntityAnswers, slicesOf } from './entityBatch';
import { mergeEntityFetches } from './entityFetchMerge';
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
  /** Entity fetches of one client request made side by side go as one call (see entityFetchMerge.ts). */
  mergeEntityFetches: boolean;
}

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type FetchOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
/** A fetch of a client's operation (not a health check). */
type ClientFetchOptions = Extract<FetchOptions, { incomingRequestContext: unknown }>;

/** An entity fetch waiting for the end of the event loop's turn, when the fetches of its request made meanwhile leave together. */
interface WaitingFetch {
  options: ClientFetchOptions;
  resolve: (response: SubgraphResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * Calls a subgraph with the client's own Authorization header (identity is propagated as the token
 * itself; each subgraph verifies it), the request id, so one operation can be followed across logs, and the
 * W3C `traceparent` of the gateway's fetch span, so that the subgraph's spans join the operation's trace.
 * Every call is signed (subgraphs serve nothing else) and time-limited, and guarded (retries, circuit
 * breaker, partial answers) for client operations. An `_entities` fetch sends each distinct representation
 * once, and at most MAX_REPRESENTATIONS in one call, the most a subgraph accepts; the entity fetches of one request
 * that the plan runs side by side go as one call (each still guarded on its own).
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly guard: SubgraphGuard;
  private readonly mergeFetches: boolean;
  /** Entity fetches waiting to leave, by client request. */
  private readonly waiting = new Map<object, WaitingFetch[]>();

  constructor({ name, url, policy, logger, fetcher, signing, metrics, mergeEntityFetches }: ForwardingDataSourceOptions) {
    super({ url, ...(fetcher && { fetcher }) });
    this.fetcher = timeLimitedFetcher(signingFetcher(this.fetcher, signing), policy.timeoutMs);
    this.guard = new SubgraphGuard(name, policy, logger, metrics);
    this.mergeFetches = mergeEntityFetches;
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
    if (!batch.hasDuplicates && representations.length <= MAX_REPRESENTATIONS) return this.sendEntities(options);

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
        this.sendEntities({
          ...options,
          request: { ...options.request, variables: { ...options.request.variables, representations: slice } },
        }),
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

  /** Sends one `_entities` call, with the others of its request made in the same turn of the event loop when they merge. */
  private sendEntities(options: FetchOptions): Promise<SubgraphResponse> {
    if (!this.mergeFetches || !('incomingRequestContext' in options)) return super.process(options);
    return new Promise((resolve, reject) => {
      const request = options.incomingRequestContext;
      let waiting = this.waiting.get(request);
      if (!waiting) {
        waiting = [];
        this.waiting.set(request, waiting);
        // The plan's parallel fetches start within the same turn; the call leaves once they all have.
        setImmediate(() => {
          const fetches = this.waiting.get(request) ?? [];
          this.waiting.delete(request);
          // Whatever goes wrong in merging fails these fetches, never the process.
          this.sendTogether(fetches).catch((error: unknown) => fetches.forEach((fetch) => fetch.reject(error)));
        });
      }
      waiting.push({ options, resolve, reject });
    });
  }

  private async sendTogether(waiting: readonly WaitingFetch[]): Promise<void> {
    const representations = waiting.reduce((sum, { options }) => sum + (options.request.variables?.representations as unknown[]).length, 0);
    const merged =
      waiting.length > 1 && representations <= MAX_REPRESENTATIONS
        ? mergeEntityFetches(
            waiting.map(({ options }) => ({ query: options.request.query ?? '', variables: options.request.variables ?? {} })),
          )
        : undefined;
    if (!merged) {
      this.sendEach(waiting);
      return;
    }
    const { options } = waiting[0]!;
    const { query, operationName, variables, document } = merged;
    let response: SubgraphResponse;
    try {
      response = await super.process({ ...options, document, request: { ...options.request, query, operationName, variables } });
    } catch (error) {
      for (const { reject } of waiting) reject(error);
      return;
    }
    // No data at all: one fetch's error on a field that cannot be null took the others' with it, or the call was
    // refused whole. Each goes again alone, so that none fails for another.
    if (response.data === null || response.data === undefined) {
      this.sendEach(waiting);
      return;
    }
    merged.split(response).forEach((answer, index) => waiting[index]!.resolve(answer));
  }

  private sendEach(fetches: readonly WaitingFetch[]): void {
    for (const { options, resolve, reject } of fetches) super.process(options).then(resolve, reject);
  }
}
