/**
 * `npm run db:load -- [--scale N] [--drop] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]`:
 * an administrator's tool that writes demo data straight into the database at MONGODB_URI, past the subgraphs
 * and their access rules: for an empty database that no graph serves yet (benchmarks, large datasets).
 * `npm run seed` goes through the graph instead. Scale 1 is the demo; N is N times as much of everything; a
 * count given on its own replaces the scaled one. Exit codes: 0 seeded, 1 refused or failed, 2 bad arguments.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, withDatabase } from '../../subgraphs/shared/mongo';
import { type SeedArguments, UsageError, seedArguments } from './arguments';
import { seedDemoData } from './demo';

const USAGE = `Usage: npm run db:load -- [--scale N] [--drop] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]
  Administrators only: writes straight into the database at MONGODB_URI, past the subgraphs and their access rules.
  To add data to a running graph, use npm run seed. --scale 1 (the default) is the demo; --drop first empties the
  graph's collections.`;

const WARNING =
  'db:load writes straight into the database, past the subgraphs and their access rules (npm run seed goes through the graph).\n';

const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

function loadArguments(args: readonly string[], env: NodeJS.ProcessEnv): SeedArguments & { mongoUri: string } {
  const parsed = seedArguments(args, { allowDrop: true });
  if (!env.MONGODB_URI)
    throw new UsageError('MONGODB_URI must name the database to load (npm run seed needs none: it goes through the graph).');
  return { ...parsed, mongoUri: env.MONGODB_URI };
}

async function main(): Promise<number> {
  let args: SeedArguments & { mongoUri: string };
  try {
    args = loadArguments(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  process.stderr.write(WARNING);
  return withDatabase(args.mongoUri, async (db) => {
    if (args.drop) await dropGraphCollections(db);
    const landlords = await db.collection(COLLECTIONS.landlords).estimatedDocumentCount();
    if (landlords > 0) {
      process.stderr.write(`The database already holds data (${landlords} landlords); add --drop to replace it.\n`);
      return EXIT_REFUSED;
    }
    const started = performance.now();
    const summary = await seedDemoData(db, { scale: args.scale, counts: args.counts });
    const seconds = (performance.now() - started) / 1000;
    const lines = Object.entries(summary).map(([collection, count]) => `  ${collection.padEnd(20)} ${count.toLocaleString('en')}`);
    const total = Object.values(summary).reduce((sum, count) => sum + count, 0);
    process.stdout.write(`Seeded ${total.toLocaleString('en')} documents in ${seconds.toFixed(1)} s:\n${lines.join('\n')}\n`);
    return 0;
  });
}

async function dropGraphCollections(db: Db): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name));
  for (const name of Object.values(COLLECTIONS)) {
    if (existing.has(name)) await db.collection(name).drop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_REFUSED;
  },
);
