import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Db } from 'mongodb';
import type { AuthConfig } from '../../lib/auth/config';
import type { SubgraphSigning } from '../../lib/auth/subgraphSignature';
import { authenticateRequest } from '../../lib/auth/verify';
import { subgraphErrors } from '../../lib/errors/disclosure';
import { probeDependency } from '../../lib/http/health';
import { requestIdOf } from '../../lib/http/requestId';
import { serveGraphQL } from '../../lib/http/serveGraphQL';
import { shapeLimits } from '../../lib/limits';
import { representationLimit } from '../../lib/limits/representations';
import type { RunningService } from '../../lib/service';
import { Access } from './access';
import type { SubgraphContext } from './context';
import { Directory } from './directory';
import { documentFieldResolver } from './documentFields';
import { RequestLoaders } from './loaders';
import { subgraphConfigFromEnv, type SubgraphConfig } from './subgraphConfig';
import type { SubgraphDefinition } from './subgraphDefinition';

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
  await definition.ensureIndexes(db);
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as never }]);

  const context = async (request: IncomingMessage): Promise<SubgraphContext<TStore>> => {
    const caller = await authenticateRequest(request, options.auth);
    const directory = new Directory(db);
    const access = new Access(caller, directory);
    const loaders = new RequestLoaders();
    const requestId = requestIdOf(request);
    return { caller, access, directory, requestId, store: definition.createStore(db, { caller, access, directory, loaders }) };
  };

  return serveGraphQL<SubgraphContext<TStore>>({
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
    // Ready while the database answers: a subgraph without it can only fail its callers.
    readiness: async () => {
      const mongo = await probeDependency(() => db.command({ ping: 1 }), DATABASE_PROBE_TIMEOUT_MS);
      return { ready: mongo === 'ok', details: { mongo, ...options.healthDetails?.() } };
    },
  });
}
