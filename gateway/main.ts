import { readFileSync } from 'node:fs';
import path from 'node:path';
import { closeOnTerminationSignals, exitWithLauncher, portFromEnv, serviceLogger } from '../lib/http/serviceProcess';
import { subgraphUrlsFromEnv } from '../lib/subgraphs';
import { startTracing } from '../lib/telemetry/tracing';
import { runInWorkers } from './cluster';
import { gatewayConfigFromEnv } from './config';
import { startGateway } from './startGateway';

exitWithLauncher();
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../schema/supergraph.graphql');

const logger = serviceLogger('gateway');

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const supergraphPath = env.SUPERGRAPH_PATH ? path.resolve(env.SUPERGRAPH_PATH) : DEFAULT_SUPERGRAPH_PATH;
  // Where each subgraph can be reached when not at the URL recorded in the supergraph.
  const subgraphUrls = subgraphUrlsFromEnv(env);
  // Each worker traces on its own; @apollo/gateway's spans and ours go through the provider registered here.
  const tracing = await startTracing('gateway', env);
  const gateway = await startGateway({
    port: portFromEnv(env, 'PORT', 4000),
    host: env.HOST,
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls,
    config: gatewayConfigFromEnv(env),
    logger,
  });
  closeOnTerminationSignals(
    {
      name: gateway.name,
      close: async () => {
        await gateway.close();
        await tracing?.shutdown();
      },
    },
    logger,
  );
}

function startOrExit(): void {
  main(process.env).catch((error: unknown) => {
    logger.fatal({ err: error }, 'the gateway could not start');
    process.exit(1);
  });
}

try {
  runInWorkers(gatewayConfigFromEnv(process.env).performance.workers, startOrExit, logger);
} catch (error) {
  logger.fatal({ err: error }, 'the gateway could not start');
  process.exit(1);
}
