import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLFieldResolver, defaultFieldResolver } from 'graphql';
import type { Db } from 'mongodb';
import type { Registry } from 'prom-client';
import { authConfigFromEnv, type AuthConfig } from '../../lib/auth/config';
import { subgraphSigningFromEnv, type SubgraphSigning } from '../../lib/auth/subgraphSignature';
import { authenticateRequest } from '../../lib/auth/verify';
import { subgraphErrors } from '../../lib/errors/disclosure';
import { probeDependency } from '../../lib/http/health';
import { requestIdOf } from '../../lib/http/requestId';
import { type RunningService, serveGraphQL } from '../../lib/http/serveGraphQL';
import { closeOnTerminationSignals, exitWithLauncher, portFromEnv, serviceLogger } from '../../lib/http/serviceProcess';
import { shapeLimits, sharedLimitsFromEnv, type SharedLimits } from '../../lib/limits';
import { representationLimit } from '../../lib/limits/representations';
import { subgraphEntry } from '../../lib/subgraphs';
import { serviceRegistry } from '../../lib/telemetry/metrics';
import { startTracing, tracerOf, tracingStarted } from '../../lib/telemetry/tracing';
import { Access } from './access';
import { runBeforeServing, startBackgroundTasks } from './backgroundTasks';
import { Directory } from './directory';
import { reviseSubgraph, revisionAfterMutations, revisionsRoute } from './graphRevisions';
import { RequestLoaders } from './loaders';
import { commandCountingFromEnv, connectMongo, countCommands, databaseName } from './mongo';
import type { SubgraphContext, SubgraphDefinition } from './subgraphDefinition';
import { tracedResolvers } from './tracedResolvers';

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

/**
 * Stored documents carry their identity as MongoDB's `_id`, the schema as `id`: a type's `id` field reads `_id`
 * when the parent has no `id` of its own (an entity reference from another subgraph has). Every other field
 * resolves as GraphQL's default does.
 */
export const documentFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (info.fieldName === 'id' && typeof source === 'object' && source !== null && !('id' in source) && '_id' in source) {
    return source._id;
  }
  return defaultFieldResolver(source, args, context, info);
};

export interface StartSubgraphOptions {
  port: number;
  host?: string;
  db: Db;
  auth: AuthConfig;
  /** The gateway's signature, without which no GraphQL request is served. */
  signing: SubgraphSigning;
  /** Defaults to the environment's (NODE_ENV, MAX_QUERY_DEPTH, MAX_ALIASES, MAX_BODY_BYTES). */
  config?: SubgraphConfig;
  /** More for the readiness answer to report, e.g. the database commands counted so far. */
  healthDetails?: () => Record<string, unknown>;
  /** The subgraph's metrics (`GET /metrics`), its MongoDB client's included; a registry of its own when not given. */
  metrics?: Registry;
}

// Well under the gateway's own probe limit, so that the gateway hears "database down" rather than "subgraph hung".
const DATABASE_PROBE_TIMEOUT_MS = 2_000;

/**
 * Serves one subgraph, to the gateway alone: a request without the gateway's signature is refused before it is
 * parsed. Behind that, the subgraph does not rely on the gateway: each request's caller comes from the bearer
 * token, verified here again, and the gateway's limits (depth, aliases, body size) and a bound on `_entities`
 * representations are enforced here too.
 */
export async function startSubgraph<TStore>(
  definition: SubgraphDefinition<TStore>,
  options: StartSubgraphOptions,
): Promise<RunningService> {
  const { db } = options;
  const config = options.config ?? subgraphConfigFromEnv();
  const limits = shapeLimits({ maxDepth: config.limits.maxDepth, maxAliases: config.limits.maxAliases });
  const logger = serviceLogger(definition.name);
  const tasks = definition.backgroundTasks?.() ?? [];
  await definition.ensureIndexes(db);
  await runBeforeServing(tasks, db, logger);
  // A write cut off by a crash between its data and its revision is revised here, when the subgraph starts again.
  await reviseSubgraph(db, definition.name);
  const resolvers = tracingStarted() ? tracedResolvers(definition.resolvers, tracerOf(definition.name)) : definition.resolvers;
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: resolvers as never }]);

  const context = async (request: IncomingMessage): Promise<SubgraphContext<TStore>> => {
    const caller = await authenticateRequest(request, options.auth);
    const directory = new Directory(db);
    const access = new Access(caller, directory);
    const loaders = new RequestLoaders();
    const requestId = requestIdOf(request);
    return { caller, access, directory, requestId, store: definition.createStore(db, { caller, access, directory, loaders }) };
  };

  const service = await serveGraphQL<SubgraphContext<TStore>>({
    name: definition.name,
    createServer: (plugins) =>
      new ApolloServer<SubgraphContext<TStore>>({
        schema,
        fieldResolver: documentFieldResolver,
        validationRules: limits.validationRules,
        ...subgraphErrors(config.development),
        // Federated tracing is for Apollo's hosted studio, which this graph never reports to. Cache hints are not
        // used (every answer depends on the caller), and computing them wrapped every resolver of every request.
        plugins: [
          ...plugins,
          limits.plugin,
          representationLimit(),
          revisionAfterMutations(db, definition.name, logger),
          ApolloServerPluginInlineTraceDisabled(),
          ApolloServerPluginCacheControlDisabled(),
        ],
        // The process entry owns signals, so that MongoDB closes after the HTTP server drains.
        stopOnTerminationSignals: false,
      }),
    context,
    port: options.port,
    host: options.host,
    maxBodyBytes: config.limits.maxBodyBytes,
    requireSignature: options.signing,
    routes: revisionsRoute(db, options.signing, tracerOf(definition.name)),
    ...(options.metrics && { metrics: options.metrics }),
    // Ready while the database answers: a subgraph without it can only fail its callers.
    readiness: async () => {
      const mongo = await probeDependency(() => db.command({ ping: 1 }), DATABASE_PROBE_TIMEOUT_MS);
      return { ready: mongo === 'ok', details: { mongo, ...options.healthDetails?.() } };
    },
  });
  if (tasks.length === 0) return service;
  const stopTasks = startBackgroundTasks(tasks, db, logger, () => reviseSubgraph(db, definition.name));
  return {
    ...service,
    close: async () => {
      stopTasks();
      await service.close();
    },
  };
}

/**
 * The process entry of a subgraph: `PORT`, `HOST`, `MONGODB_URI`, `SUBGRAPH_SIGNING_SECRET`, the limits and the
 * OTEL_* tracing variables from the environment, all read before anything starts; SIGINT/SIGTERM drain, then close
 * MongoDB, then send the last spans.
 * With `MONGO_COMMAND_COUNTING=1`, its readiness answer (`/health`) also reports the database commands sent so far (`mongoCommands`).
 */
export function runSubgraph<TStore>(definition: SubgraphDefinition<TStore>): void {
  exitWithLauncher();
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const logger = serviceLogger(definition.name);
  const start = async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error(`The ${definition.name} subgraph needs MONGODB_URI.`);
    const auth = authConfigFromEnv();
    const signing = subgraphSigningFromEnv();
    const config = subgraphConfigFromEnv();
    const tracing = await startTracing(definition.name);
    const metrics = serviceRegistry(definition.name);
    const mongo = await connectMongo(uri, { metrics });
    const commandCount = commandCountingFromEnv(process.env) ? countCommands(mongo) : undefined;
    const db = mongo.db(databaseName(uri));
    const service = await startSubgraph(definition, {
      port: portFromEnv(process.env, 'PORT', subgraphEntry(definition.name).defaultPort),
      host: process.env.HOST,
      db,
      auth,
      signing,
      config,
      metrics,
      ...(commandCount && { healthDetails: () => ({ mongoCommands: commandCount() }) }),
    });
    logger.info({ url: service.url }, `${definition.name} subgraph ready`);
    closeOnTerminationSignals(
      {
        name: definition.name,
        close: async () => {
          await service.close();
          await mongo.close();
          await tracing?.shutdown();
        },
      },
      logger,
    );
  };
  start().catch((error: unknown) => {
    logger.fatal({ err: error }, `the ${definition.name} subgraph could not start`);
    process.exit(1);
  });
}
