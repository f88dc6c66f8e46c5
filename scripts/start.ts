import path from 'node:path';
import { portFromEnv, serviceLogger } from '../lib/http/serviceProcess';
import { SUBGRAPHS } from '../lib/subgraphs';
import { withDatabase } from '../subgraphs/shared/mongo';
import { seedDemoDataIfEmpty } from './seed/demo';
import { spawnService } from './start/childService';
import { launchEnvironment } from './start/launchEnvironment';
import { resolveMongo } from './start/resolveMongo';
import { RestartBackoff, restartBackoffFromEnv } from './start/restartBackoff';
import { Shutdown } from './start/shutdown';
import { ensureWebBuild } from './start/webBuild';
import { supervise, type SupervisedService } from './start/supervisor';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

const ROOT = path.resolve(__dirname, '..');

const logger = serviceLogger('start');
const shutdown = new Shutdown(logger);

/**
 * `npm start`: the web app's build when missing or stale, MongoDB, then the four subgraphs, then the gateway, each kept running (restarted with backoff when
 * it exits); Ctrl-C stops them all.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const stopOnSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping Quartier Commun');
    void shutdown.exit(0);
  };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  const restartBackoff = restartBackoffFromEnv(env);

  const web = await ensureWebBuild(ROOT);
  if (web === 'built') logger.info('web app built (web/dist)');
  if (web === 'unavailable') logger.warn('web/dist is missing or stale and Vite is not installed: the gateway serves GraphQL only');

  const mongo = await resolveMongo({ dataDirectory: dataDirectory(env), env, notice: (message) => logger.warn(message) });
  shutdown.onShutdown('MongoDB', () => mongo.stop());
  // Where a local server listens, for a MongoDB shell or db:load; an external URI may hold a password, so it is not logged.
  if (mongo.kind === 'external') logger.info({ kind: mongo.kind }, 'MongoDB ready');
  else logger.info({ kind: mongo.kind, uri: mongo.uri }, `MongoDB ready at ${mongo.uri}`);
  await loadDemoDataIfEmpty(mongo.uri);

  const superviseChild = (name: string, entry: string, origin: string, readiness: string, childEnv: NodeJS.ProcessEnv): SupervisedService =>
    supervise({
      name,
      start: () =>
        spawnService({ name, entry, cwd: ROOT, env: childEnv, healthUrl: `${origin}${readiness}`, liveUrl: `${origin}/health/live` }),
      backoff: new RestartBackoff(restartBackoff),
      logger,
    });

  const launch = launchEnvironment(env);
  const subgraphs = SUBGRAPHS.map((subgraph) => {
    const port = portFromEnv(env, subgraph.portVariable, subgraph.defaultPort);
    return { ...subgraph, port, origin: launch.subgraphOrigin(port) };
  });
  // A subgraph is up once its database answers (its readiness).
  const subgraphServices = subgraphs.map(({ name, port, origin }) =>
    superviseChild(
      name,
      `subgraphs/${name}/index.ts`,
      origin,
      '/health/ready',
      launch.subgraph({ PORT: String(port), MONGODB_URI: mongo.uri }),
    ),
  );
  shutdown.onShutdown('the subgraphs', () => Promise.all(subgraphServices.map((service) => service.stop())));
  await Promise.all(subgraphServices.map((service) => service.firstReady));

  const gatewayPort = portFromEnv(env, 'PORT', 4000);
  const subgraphUrls = Object.fromEntries(subgraphs.map(({ urlVariable, origin }) => [urlVariable, `${origin}/graphql`]));
  // The gateway is up once it answers (its liveness): restarted while a subgraph is down, it must still come up.
  const gateway = superviseChild(
    'gateway',
    'gateway/main.ts',
    `http://localhost:${gatewayPort}`,
    '/health/live',
    launch.gateway({ ...subgraphUrls, PORT: String(gatewayPort) }),
  );
  shutdown.onShutdown('the gateway', () => gateway.stop());
  await gateway.firstReady;

  logger.info(`Quartier Commun is up: the web app at http://localhost:${gatewayPort}/, GraphQL at http://localhost:${gatewayPort}/graphql`);
}

/** `QC_DATA_DIR`, else `.data/` in the repository: the embedded MongoDB's data folder (checkpoint, journal, lock). */
function dataDirectory(env: NodeJS.ProcessEnv): string {
  return env.QC_DATA_DIR ? path.resolve(env.QC_DATA_DIR) : path.join(ROOT, '.data');
}

/** Demo data on a first start, before any subgraph reads the database. */
async function loadDemoDataIfEmpty(uri: string): Promise<void> {
  if (await withDatabase(uri, seedDemoDataIfEmpty)) logger.info('demo data loaded (district-grand-mirail)');
}

main(process.env).catch((error: unknown) => {
  // A service failing while we stop on purpose (Ctrl-C during startup) is expected.
  if (shutdown.isUnderway) return;
  logger.fatal({ err: error }, 'Quartier Commun could not start');
  void shutdown.exit(1);
});
