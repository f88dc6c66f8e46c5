import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import { Kind, parse, visit } from 'graphql';
import type { Logger } from 'pino';
import { authConfigFromEnv, type AuthConfig } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { subgraphSigningFromEnv, type SubgraphSigning } from '../lib/auth/subgraphSignature';
import { GATEWAY_ERROR_CODES } from '../lib/errorCodes';
import { type RunningService, serveGraphQL } from '../lib/http/serveGraphQL';
import { serviceLogger } from '../lib/http/serviceProcess';
import { serviceRegistry } from '../lib/telemetry/metrics';
import { operationLabeller, operationNamesOf } from '../lib/telemetry/operationLabel';
import { GatewayConfigError, gatewayConfigFromEnv, subgraphPolicy, type GatewayConfig } from './config';
import { ForwardingDataSource } from './forwardingDataSource';
import { bearerAuthentication, gatewayContext, type GatewayContext } from './plugins/auth';
import { deduplicatingExecutor } from './plugins/dedup';
import { clientErrors } from './plugins/errors';
import { explorerLandingPage } from './plugins/explorer';
import { queryLimits } from './plugins/limits';
import { loadPersistedDocuments, operationSafelist, trustedDocuments } from './plugins/persistedOperations';
import { requestLog } from './plugins/requestLog';
import { ResponseCache, stringifyResult } from './plugins/responseCache';
import { revisionsFrom } from './plugins/responseCache/revisions';
import { gatewayMetrics } from './plugins/telemetry';
import { queryPlanCacheConfig } from './queryPlanCache';
import { subgraphsReadiness } from './readiness';
import { subgraphFetcher } from './subgraphFetcher';
import { withWrappedExecutor } from './wrappedExecutor';
import { signInRoutes } from './webApp/signIn';
import { staticWebApp } from './webApp/staticFiles';

export interface StartGatewayOptions {
  port: number;
  host?: string;
  /** The composed supergraph (schema/supergraph.graphql); the gateway never fetches one. */
  supergraphSdl: string;
  /** Subgraph URLs by subgraph name, replacing the ones recorded in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  /** Defaults to the environment's (JWT_SECRET, JWT_JWKS_URL, …). */
  auth?: AuthConfig;
  /** How every subgraph request is signed; defaults to the environment's (SUBGRAPH_SIGNING_SECRET). */
  signing?: SubgraphSigning;
  /** Defaults to the environment's (MAX_QUERY_DEPTH, SUBGRAPH_TIMEOUT_MS, …: see gatewayConfigFromEnv). */
  config?: GatewayConfig;
  /** Request lines, internal errors and subgraph faults go here; defaults to the gateway's service logger. */
  logger?: Logger;
}

const GRAPHQL_PATH = '/graphql';

export async function startGateway(options: StartGatewayOptions): Promise<RunningService> {
  const config = options.config ?? gatewayConfigFromEnv();
  const signing = options.signing ?? subgraphSigningFromEnv();
  const logger = options.logger ?? serviceLogger('gateway');
  refuseUnknownSubgraphs(config, subgraphNamesOf(options.supergraphSdl));
  // Read before anything starts: the gateway without its persisted documents must not start at all. The published
  // operations and the web app's are one set; without safelist mode they are still known by hash (the web app sends
  // hashes alone).
  const documents = new Map([
    ...loadPersistedDocuments(config.safelist.manifestPath),
    ...loadPersistedDocuments(config.web.persistedDocumentsPath),
  ]);
  const persistedOperations = config.safelist.enabled ? operationSafelist(documents) : trustedDocuments(documents);
  const registry = serviceRegistry('gateway');
  const metrics = gatewayMetrics(registry);

  const { performance } = config;
  const subgraphHttp = subgraphFetcher(performance.subgraphHttpClient, performance.subgraphMaxSockets);
  // Filled as the gateway loads the supergraph (before it listens): where readiness probes each subgraph.
  const subgraphEndpoints = new Map<string, string>();
  const responseCache = performance.responseCache.enabled
    ? new ResponseCache({
        maxBytes: performance.responseCache.maxMiB * 1024 * 1024,
        ttlMs: performance.responseCache.ttlMs,
        exposeOutcome: !config.production,
        readRevisions: revisionsFrom(subgraphEndpoints, signing, subgraphHttp.fetcher),
        metrics,
        logger,
      })
    : undefined;
  const apolloGateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    ...queryPlanCacheConfig(performance.queryPlanCacheMiB, metrics.queryPlanLookedUp),
    ...(responseCache && { experimental_didResolveQueryPlan: responseCache.didResolveQueryPlan }),
    buildService: ({ name, url: recordedUrl }) => {
      const url = options.subgraphUrls?.[name] ?? recordedUrl;
      if (url) subgraphEndpoints.set(name, url);
      return new ForwardingDataSource({
        name,
        url,
        policy: subgraphPolicy(config, name),
        logger,
        fetcher: subgraphHttp.fetcher,
        signing,
        metrics,
        mergeEntityFetches: performance.mergeEntityFetches,
      });
    },
  });
  const auth = options.auth ?? authConfigFromEnv();
  const signIn = signInRoutes({ signIn: config.web.signIn, auth });
  const webApp = staticWebApp(config.web.root);
  const deduplicate = performance.deduplicateQueries
    ? (executor: GatewayExecutor) => deduplicatingExecutor(executor, metrics.executionShared)
    : undefined;
  const wrapExecutor = responseCache ? (executor: GatewayExecutor) => responseCache.executor(executor, deduplicate) : deduplicate;
  const gateway = wrapExecutor ? withWrappedExecutor(apolloGateway, wrapExecutor) : apolloGateway;
  const limits = queryLimits(config.limits, options.supergraphSdl);
  const errors = clientErrors({
    production: config.production,
    development: config.development,
    gatewayCodes: GATEWAY_ERROR_CODES,
    logger,
  });

  const service = await serveGraphQL<GatewayContext>({
    name: 'gateway',
    port: options.port,
    host: options.host,
    path: GRAPHQL_PATH,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.maxBatchSize > 0 && { maxBatchSize: config.maxBatchSize }),
    context: gatewayContext(bearerAuthentication(auth)),
    routes: async (request, response, pathname) => (await signIn(request, response, pathname)) || webApp(request, response, pathname),
    readiness: subgraphsReadiness(() => subgraphEndpoints),
    metrics: registry,
    // Only the published operations are named in metrics: any other name is the client's to choose, without bound.
    operationLabel: operationLabeller({ known: operationNamesOf(documents.values()), cap: 0 }),
    createServer: (plugins) =>
      new ApolloServer<GatewayContext>({
        gateway,
        validationRules: limits.validationRules,
        introspection: !config.production,
        // Strips "Did you mean …?" from validation errors: they spell out the schema field by field.
        hideSchemaDetailsFromClientErrors: config.production,
        allowBatchedHttpRequests: config.maxBatchSize > 0,
        // Automatic persisted queries, in Apollo's bounded in-memory cache (its default, named here on purpose).
        persistedQueries: {},
        // Answers served from the response cache are written out from the JSON made when they were stored.
        stringifyResult,
        ...errors,
        plugins: [
          ...plugins,
          requestLog(logger),
          ...limits.plugins,
          persistedOperations,
          explorerLandingPage({ endpoint: GRAPHQL_PATH, developmentToken: developmentExplorerToken(auth, config) }),
          // Nothing about our traffic leaves the machine, even if an APOLLO_KEY is around.
          ApolloServerPluginUsageReportingDisabled(),
        ],
        // The entry point owns signals, so that it can close the HTTP server before exiting.
        stopOnTerminationSignals: false,
      }),
  }).catch((error: unknown) => {
    subgraphHttp.destroy();
    throw error;
  });
  return {
    ...service,
    async close() {
      await service.close();
      subgraphHttp.destroy();
    },
  };
}

/** While tokens are signed with the public development secret (never in production), GraphiQL gets an admin token. */
function developmentExplorerToken(auth: AuthConfig, config: GatewayConfig): (() => Promise<string>) | undefined {
  if (config.production || auth.keySource.kind !== 'secret' || !auth.keySource.isDevelopmentDefault) return undefined;
  return () => signToken({ role: 'ADMIN', sub: 'graphiql' }, auth, { expiresIn: '8h' });
}

/** A time limit set for a subgraph the supergraph does not have is a typo that would go unnoticed. */
function refuseUnknownSubgraphs(config: GatewayConfig, subgraphs: string[]): void {
  const known = new Set(subgraphs.map((name) => name.toLowerCase()));
  for (const name of Object.keys(config.subgraphs.timeoutMsBySubgraph)) {
    if (!known.has(name)) {
      throw new GatewayConfigError(
        `SUBGRAPH_TIMEOUT_MS_${name.toUpperCase()} names no subgraph of the supergraph (${subgraphs.join(', ')}).`,
      );
    }
  }
}

/** The subgraphs a composed supergraph is made of (`@join__graph(name: …)`). */
function subgraphNamesOf(supergraphSdl: string): string[] {
  const names: string[] = [];
  visit(parse(supergraphSdl), {
    Directive(directive) {
      if (directive.name.value !== 'join__graph') return;
      const name = directive.arguments?.find((argument) => argument.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) names.push(name.value);
    },
  });
  return names;
}
