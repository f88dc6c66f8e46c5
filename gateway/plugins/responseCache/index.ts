import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  type DocumentNode,
  type FormattedExecutionResult,
  OperationTypeNode,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Caller } from '../../../lib/auth/caller';
import type { GatewayContext } from '../auth';
import { canonicalJson } from '../dedup';
import { InflightCalls } from '../dedup/inflightCalls';
import type { GatewayMetrics, ResponseCacheOutcome } from '../telemetry';
import { FreshRevisions, type GraphRevisions } from './revisions';

type ExecutionResult = Awaited<ReturnType<GatewayExecutor>>;
type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

export interface ResponseCacheOptions {
  maxBytes: number;
  /** The longest an answer is served: the bound for writes made past the graph's mutations, and for answers that age with the clock. */
  ttlMs: number;
  /** Reads the subgraphs' revisions (see ./revisions): `revisionsFrom` in the gateway, a stand-in in unit tests. */
  readRevisions: () => Promise<GraphRevisions>;
  /** Says `hit`, `miss` or `bypass` in the `x-response-cache` response header (not in production). */
  exposeOutcome: boolean;
  /** Told of each query's outcome, and of each refresh started (the gateway's metrics). */
  metrics?: Pick<GatewayMetrics, 'responseCacheLookedUp' | 'responseCacheRefreshed'>;
  /** Told of a refresh that threw (a bug: execution errors come back as results), which nobody waits for. */
  logger?: Pick<Logger, 'error'>;
}

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/**
 * Types and fields (`Type.field`) whose data is a landlord's private data or is shown to some members of a
 * cooperation and not others (households, individual requests, rents, a landlord's TFPB programme, cost shares,
 * invitations, who wrote what). The sharing scope in the key would keep them apart, but an operation reading any of
 * them is never cached: a mistake there would cost the most, and these reads are few.
 */
export const UNCACHED_DATA: ReadonlySet<string> = new Set([
  'Household',
  'ServiceRequest',
  'Dwelling.rentCents',
  'TfpbReport',
  'CostShare',
  'ActionInvitation',
  'AuditTrail',
  // Wellbeing calls: private to their landlord, partly to each caller (heldByMe, the caller's queue), and every read
  // of a household's contact must reach tenancy's contact access log, which grows with reads, not only with writes.
  'Query.contactAccessLog',
  'CampaignCall',
  'Campaign.calls',
  'Campaign.myCallsToday',
  'Campaign.callListCsv',
  'Referral',
  'ReferralContact',
  'ContactAccessEntry',
]);

/**
 * Subgraphs whose collections every subgraph reads (subgraphs/shared/directory.ts: who owns which building, which
 * districts a landlord or a partner is in, and so each caller's district scope): their writes may change any answer.
 */
const DIRECTORY_SUBGRAPHS: ReadonlySet<string> = new Set(['housing', 'partners']);

/**
 * A response cache for queries, in front of the gateway's executor (where the operation has passed parsing,
 * validation, limits and authentication, which still run for every request).
 *
 * - Key: the document's hash, operation name, variables, and the caller's sharing scope: exactly the claims the
 *   access rule (subgraphs/shared/access.ts) decides with, so that only callers whom every subgraph answers alike
 *   share an answer (see `sharingScope`).
 * - Stored: answers without errors (a partial answer has some) to queries reading nothing of UNCACHED_DATA, with the
 *   revisions, as read before the answer was computed, of the subgraphs it was read from and of DIRECTORY_SUBGRAPHS.
 * - Served: only while those revisions are still the subgraphs' own, read after the request arrived. Each subgraph
 *   makes its revision new after every mutation, before answering it (subgraphs/shared/graphRevisions.ts), so no
 *   write through the graph, through whichever gateway host or worker, is followed by an answer from before it.
 *   Hive's response cache drops the entities a mutation returns; here an answer also holds what no entity in it
 *   names (statistics counted from requests, a list an action joins, the caller's district scope itself), hence a
 *   revision per subgraph. Misses of one key, under the same revisions, share one execution.
 * - Everything else (time passing; a write made straight into the database): `ttlMs` at most. Each answer is kept
 *   between half of it and all of it, at random: answers stored together do not all expire, and are not all computed
 *   again, at once. An answer read in the last quarter of its time is computed again in the background, the reader
 *   served the stored one: hot answers are renewed before they expire, and nobody waits for them.
 */
export class ResponseCache {
  private readonly store: LRUCache<string, StoredResponse>;
  private readonly revisions: FreshRevisions;
  /** The subgraphs each execution's plan calls. */
  private readonly plans = new WeakMap<object, ReadonlySet<string>>();
  /** Whether each operation (by hash and name) reads nothing of UNCACHED_DATA. */
  private readonly cacheableOperations = new LRUCache<string, boolean>({ max: 2_000 });
  /** Misses being computed, by key and generation: see `read`. */
  private readonly computing = new InflightCalls<ExecutionResult>();

  constructor(private readonly options: ResponseCacheOptions) {
    this.store = new LRUCache<string, StoredResponse>({
      maxSize: options.maxBytes,
      ttl: options.ttlMs,
      // Entries are dropped by time as they are read or evicted; nothing runs on a timer.
      ttlAutopurge: false,
      // The key counts too: it holds the variables, up to a request body's size, however small the answer.
      sizeCalculation: (entry, key) => key.length + (serialisedData.get(entry.data)?.length ?? 0),
    });
    this.revisions = new FreshRevisions(options.readRevisions);
  }

  /** For ApolloGateway's `experimental_didResolveQueryPlan`: notes the subgraphs an execution calls. */
  readonly didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
    const reads = new Set<string>(DIRECTORY_SUBGRAPHS);
    if (queryPlan.node) collectFetches(queryPlan.node, reads);
    this.plans.set(requestContext, reads);
  };

  /**
   * This cache in front of `execute`. `deduplicate` (plugins/dedup), when given, wraps the executor for mutations and
   * the queries it does not cache; those it caches share executions in flight here, by sharing scope.
   */
  executor(execute: GatewayExecutor, deduplicate?: (executor: GatewayExecutor) => GatewayExecutor): GatewayExecutor {
    // Mutations go through it too, so that it never joins a read to one started before a write.
    const uncached = deduplicate ? deduplicate(execute) : execute;
    return async (requestContext) =>
      requestContext.operation.operation === OperationTypeNode.QUERY
        ? this.read(execute, uncached, requestContext)
        : uncached(requestContext);
  }

  private async read(
    execute: GatewayExecutor,
    uncached: GatewayExecutor,
    requestContext: GatewayGraphQLRequestContext,
  ): Promise<ExecutionResult> {
    const key = this.keyOf(requestContext);
    const revisions = key === undefined ? undefined : await this.revisions.current().catch(() => undefined);
    // Not cacheable; or the revisions cannot be read, and then nothing stored can be known to be current.
    if (key === undefined || revisions === undefined) {
      this.tell(requestContext, 'bypass');
      return uncached(requestContext);
    }
    const stored = this.store.get(key);
    if (stored && isCurrent(stored, revisions)) {
      this.tell(requestContext, 'hit');
      // Near its end, an answer still asked for is computed again behind the one served (itself within its time and
      // current): the readers of a hot answer never wait for it to be computed. Failures leave the answer served.
      if (Date.now() >= stored.refreshAt) {
        const refresh = this.compute(execute, requestContext, key, revisions);
        if (!refresh.shared) this.options.metrics?.responseCacheRefreshed();
        refresh.result.catch((error: unknown) =>
          this.options.logger?.error(
            { err: error },
            'computing a cached answer again failed; the stored one is served until its time is up',
          ),
        );
      }
      return { data: stored.data };
    }
    this.tell(requestContext, 'miss');
    // A copy of its own for each request: nothing done to one response shows in another.
    return { ...(await this.compute(execute, requestContext, key, revisions).result) };
  }

  /**
   * Executes the request and stores its answer (`shared`: joined an execution in flight). Callers of one scope asking alike under the same revisions share one
   * execution: never one that began under older revisions, which may hold data from before a write that has since
   * answered.
   */
  private compute(
    execute: GatewayExecutor,
    requestContext: GatewayGraphQLRequestContext,
    key: string,
    revisions: GraphRevisions,
  ): { result: Promise<ExecutionResult>; shared: boolean } {
    return this.computing.run(`${JSON.stringify(revisions)} ${key}`, async () => {
      const computed = await execute(requestContext);
      const reads = this.plans.get(requestContext);
      if (reads && computed.data && !computed.errors?.length) {
        const ttl = this.options.ttlMs * (0.5 + Math.random() / 2);
        serialisedData.set(computed.data, JSON.stringify(computed.data));
        this.store.set(
          key,
          {
            data: computed.data,
            revisions: Object.fromEntries([...reads].map((name) => [name, revisions[name] ?? null])),
            refreshAt: Date.now() + ttl * REFRESH_AFTER,
          },
          { ttl },
        );
      }
      return computed;
    });
  }

  /** The key of a cacheable query's answer; undefined when it must not be cached. */
  private keyOf(requestContext: GatewayGraphQLRequestContext): string | undefined {
    const { caller } = requestContext.context as unknown as GatewayContext;
    const operationName = requestContext.operationName ?? null;
    const operationKey = JSON.stringify([requestContext.queryHash, operationName]);
    let cacheable = this.cacheableOperations.get(operationKey);
    if (cacheable === undefined) {
      cacheable = readsOnlyCacheableTypes(requestContext.schema, requestContext.document, operationName);
      this.cacheableOperations.set(operationKey, cacheable);
    }
    if (!cacheable) return undefined;
    return JSON.stringify([sharingScope(caller), operationKey, canonicalJson(requestContext.request.variables ?? {})]);
  }

  private tell(requestContext: GatewayGraphQLRequestContext, outcome: ResponseCacheOutcome): void {
    this.options.metrics?.responseCacheLookedUp(outcome);
    if (this.options.exposeOutcome) requestContext.response?.http?.headers.set(RESPONSE_CACHE_HEADER, outcome);
  }
}

/** The JSON of each stored answer's data, made once as it is stored (its size counts it too). */
const serialisedData = new WeakMap<object, string>();

/**
 * ApolloServer's `stringifyResult`, byte for byte its default (`JSON.stringify` and a newline), but an answer served
 * from this cache is written out from the JSON made when it was stored: serialising the answer again was the largest
 * cost of a hit. Apollo hands over the result with the executor's `data` object itself; stored
 * data is never changed (each hit gets the same object), so its JSON stays true.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const data = result.data ? serialisedData.get(result.data) : undefined;
  if (data === undefined) return `${JSON.stringify(result)}\n`;
  const members = Object.entries(result).flatMap(([name, value]) => {
    const json = name === 'data' ? data : (JSON.stringify(value) as string | undefined);
    return json === undefined ? [] : [`${JSON.stringify(name)}:${json}`];
  });
  return `{${members.join(',')}}\n`;
}

/**
 * What decides every answer a caller gets, beside the data: the claims subgraphs/shared/access.ts reads. Admins see
 * everything; staff, their landlord's private data and its districts' shared data; coordinators, their districts in
 * the order the token lists them; partners, their partner's. `sub` is not in it: no read depends on who the person
 * is within that scope (it is only recorded with writes), so a landlord's staff share their answers.
 */
export function sharingScope(caller: Caller): string {
  switch (caller.role) {
    case 'ADMIN':
      return JSON.stringify([caller.role]);
    case 'LANDLORD_STAFF':
      return JSON.stringify([caller.role, caller.landlordId]);
    case 'COORDINATOR':
      return JSON.stringify([caller.role, caller.districtIds]);
    case 'PARTNER':
      return JSON.stringify([caller.role, caller.partnerId]);
  }
}

/** Whether the operation named (or the document's only one) reads nothing of UNCACHED_DATA, fragments included. */
export function readsOnlyCacheableTypes(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): boolean {
  const typeInfo = new TypeInfo(schema);
  let cacheable = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // Another operation of the document is not executed, but its fragments may be: each fragment is visited.
      OperationDefinition: (operation) => (operationName === null || operation.name?.value === operationName ? undefined : false),
      Field: (field) => {
        const [parent, type] = [typeInfo.getParentType(), typeInfo.getType()];
        if (parent && UNCACHED_DATA.has(`${parent.name}.${field.name.value}`)) cacheable = false;
        if (type && UNCACHED_DATA.has(getNamedType(type).name)) cacheable = false;
      },
    }),
  );
  return cacheable;
}

/**
 * What the cache keeps of an answer: its data, the revisions it was computed under (null: none yet), and when a read
 * of it starts computing it again (epoch milliseconds).
 */
interface StoredResponse {
  data: Record<string, unknown>;
  revisions: Readonly<Record<string, string | null>>;
  refreshAt: number;
}

/** The part of its time after which an answer read is computed again behind it. */
const REFRESH_AFTER = 0.75;

function isCurrent(stored: StoredResponse, revisions: GraphRevisions): boolean {
  return Object.entries(stored.revisions).every(([subgraph, revision]) => (revisions[subgraph] ?? null) === revision);
}

function collectFetches(node: PlanNode, reads: Set<string>): void {
  switch (node.kind) {
    case 'Fetch':
      reads.add(node.serviceName);
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) collectFetches(child, reads);
      return;
    case 'Flatten':
      collectFetches(node.node, reads);
      return;
    case 'Condition':
      for (const child of [node.ifClause, node.elseClause]) if (child) collectFetches(child, reads);
      return;
    case 'Defer':
      for (const child of [node.primary.node, ...node.deferred.map((deferred) => deferred.node)]) if (child) collectFetches(child, reads);
      return;
    case 'Subscription':
      collectFetches(node.primary, reads);
      if (node.rest) collectFetches(node.rest, reads);
      return;
  }
}
