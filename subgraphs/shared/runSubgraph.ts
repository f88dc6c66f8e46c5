import { authConfigFromEnv } from '../../lib/auth/config';
import { subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import { closeOnTerminationSignals } from '../../lib/http/closeOnTerminationSignals';
import { exitWithLauncher } from '../../lib/http/launcherChannel';
import { serviceLogger } from '../../lib/http/logger';
import { portFromEnv } from '../../lib/http/portFromEnv';
import { subgraphEntry } from '../../lib/subgraphs';
import { commandCountingFromEnv, connectMongo, countCommands, databaseName } from './mongo';
import { startSubgraph } from './startSubgraph';
import { subgraphConfigFromEnv } from './subgraphConfig';
import type { SubgraphDefinition } from './subgraphDefinition';

/**
 * The process entry of a subgraph: `PORT`, `HOST`, `MONGODB_URI`, `SUBGRAPH_SIGNING_SECRET` and the limits from the
 * environment, all read before anything starts; SIGINT/SIGTERM drain, then close MongoDB.
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
    const counting = commandCountingFromEnv(process.env);
    const mongo = await connectMongo(uri, { monitorCommands: counting });
    const commandCount = counting ? countCommands(mongo) : undefined;
    const service = await startSubgraph(definition, {
      port: portFromEnv(process.env, 'PORT', subgraphEntry(definition.name).defaultPort),
      host: process.env.HOST,
      db: mongo.db(databaseName(uri)),
      auth,
      signing,
      config,
      ...(commandCount && { healthDetails: () => ({ mongoCommands: commandCount() }) }),
    });
    logger.info({ url: service.url }, `${definition.name} subgraph ready`);
    closeOnTerminationSignals(
      {
        name: definition.name,
        close: async () => {
          await service.close();
          await mongo.close();
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
