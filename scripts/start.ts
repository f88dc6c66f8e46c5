import path from 'node:path';
import { serviceLogger } from '../lib/http/logger';
import { portFromEnv } from '../lib/http/portFromEnv';
import { resolveMongo } from '../lib/mongo/resolveMongo';
import { withDatabase } from '../subgraphs/shared/mongo';
import { seedDemoDataIfEmpty } from './seed/demo';
import { spawnService, type ChildService } from './start/childService';
import { Shutdown } from './start/shutdown';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

const ROOT = path.resolve(__dirname, '..');
const EMBEDDED_MONGO_SNAPSHOT = path.join(ROOT, '.data/embedded-mongo.bson');

const SUBGRAPHS = [
  { name: 'housing', portVariable: 'HOUSING_PORT', defaultPort: 4001, urlVariable: 'HOUSING_URL' },
  { name: 'tenancy', portVariable: 'TENANCY_PORT', defaultPort: 4002, urlVariable: 'TENANCY_URL' },
  { name: 'actions', portVariable: 'ACTIONS_PORT', defaultPort: 4003, urlVariable: 'ACTIONS_URL' },
  { name: 'partners', portVariable: 'PARTNERS_PORT', defaultPort: 4004, urlVariable: 'PARTNERS_URL' },
] as const;

const logger = serviceLogger('start');
const shutdown = new Shutdown(logger);

/** `npm start`: MongoDB, then the four subgraphs, then the gateway; Ctrl-C stops them all. */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const stopOnSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping Quartier Commun');
    void shutdown.exit(0);
  };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);

  const mongo = await resolveMongo({ snapshotPath: EMBEDDED_MONGO_SNAPSHOT, env });
  shutdown.onShutdown('MongoDB', () => mongo.stop());
  logger.info({ kind: mongo.kind }, 'MongoDB ready');
  await loadDemoDataIfEmpty(mongo.uri);

  const subgraphs = SUBGRAPHS.map((subgraph) => {
    const port = portFromEnv(env, subgraph.portVariable, subgraph.defaultPort);
    return { ...subgraph, port, url: `http://localhost:${port}/graphql` };
  });
  const subgraphServices = subgraphs.map(({ name, port }) =>
    startChild(name, `subgraphs/${name}/main.ts`, port, { ...env, PORT: String(port), MONGODB_URI: mongo.uri }),
  );
  shutdown.onShutdown('the subgraphs', () => Promise.all(subgraphServices.map((service) => service.stop())));
  await Promise.all(subgraphServices.map((service) => service.ready));

  const gatewayPort = portFromEnv(env, 'PORT', 4000);
  const subgraphUrls = Object.fromEntries(subgraphs.map(({ urlVariable, url }) => [urlVariable, url]));
  const gateway = startChild('gateway', 'gateway/main.ts', gatewayPort, { ...env, ...subgraphUrls, PORT: String(gatewayPort) });
  shutdown.onShutdown('the gateway', () => gateway.stop());
  await gateway.ready;

  logger.info(`Quartier Commun is up: http://localhost:${gatewayPort}/graphql`);
}

/** Demo data on a first start, before any subgraph reads the database. */
async function loadDemoDataIfEmpty(uri: string): Promise<void> {
  if (await withDatabase(uri, seedDemoDataIfEmpty)) logger.info('demo data loaded (district-grand-mirail)');
}

function startChild(name: string, entry: string, port: number, env: NodeJS.ProcessEnv): ChildService {
  const child = spawnService({ name, entry, cwd: ROOT, env, healthUrl: `http://localhost:${port}/health` });
  void child.exited.then((exit) => {
    if (shutdown.isUnderway) return;
    logger.error({ ...exit }, `${name} stopped unexpectedly; stopping everything`);
    void shutdown.exit(1);
  });
  return child;
}

main(process.env).catch((error: unknown) => {
  // A service failing while we stop on purpose (Ctrl-C during startup) is expected.
  if (shutdown.isUnderway) return;
  logger.fatal({ err: error }, 'Quartier Commun could not start');
  void shutdown.exit(1);
});
