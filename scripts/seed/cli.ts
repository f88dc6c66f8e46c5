/**
 * `npm run seed -- [--scale N] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]`:
 * adds N times the demo data to a running graph through its mutations, as an admin: each subgraph writes what
 * it owns, under the access rules. The graph is `npm start`'s unless QC_GRAPHQL_URL (or PORT) says otherwise;
 * the token is QC_TOKEN, else a development admin token. Exit codes: 0 seeded, 1 failed, 2 bad arguments.
 */
import { GraphRequestError, GraphTokenMissing, GraphUnreachable, graphClientFromEnv } from '../graphClient';
import { UsageError, seedArguments } from './arguments';
import { seedThroughGraph } from './throughGraph';

const USAGE = `Usage: npm run seed -- [--scale N] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]
  Adds N times the demo data (--scale 1, the default, is the demo) to a running graph through its mutations:
  QC_GRAPHQL_URL, by default the gateway of npm start (http://localhost:$PORT/graphql), with the token QC_TOKEN
  (by default, outside production, a development admin token). To load an empty database directly, an
  administrator uses npm run db:load.`;

async function main(): Promise<number> {
  let args;
  try {
    args = seedArguments(process.argv.slice(2), { allowDrop: false });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const graph = await graphClientFromEnv(process.env, 'seed');
    const started = performance.now();
    const summary = await seedThroughGraph(graph, { scale: args.scale, counts: args.counts });
    const seconds = (performance.now() - started) / 1000;
    const lines = Object.entries(summary).map(([kind, count]) => `  ${kind.padEnd(20)} ${count.toLocaleString('en')}`);
    const total = Object.values(summary).reduce((sum, count) => sum + count, 0);
    process.stdout.write(
      `Added ${total.toLocaleString('en')} records through ${graph.url} in ${seconds.toFixed(1)} s:\n${lines.join('\n')}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GraphUnreachable || error instanceof GraphRequestError || error instanceof GraphTokenMissing) {
      process.stderr.write(`Seeding failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
