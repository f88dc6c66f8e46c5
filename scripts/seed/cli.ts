/**
 * `npm run seed -- [--scale N] [--drop] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]`:
 * writes demo data into the database at MONGODB_URI. Scale 1 is the demo; N is N times as much of everything;
 * a count given on its own replaces the scaled one (for benchmarks). Exit codes: 0 seeded, 1 refused or
 * failed, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../subgraphs/shared/collections';
import { withDatabase } from '../../subgraphs/shared/mongo';
import { COUNT_NAMES, type SeedCounts, seedCounts } from './counts';
import { seedDemoData } from './demo';

const USAGE = `Usage: npm run seed -- [--scale N] [--drop] [--landlords N] [--districts N] [--buildings N] [--dwellings N] [--requests N] [--actions N]
  Seeds the database at MONGODB_URI. --scale 1 (the default) is the demo; --drop first empties the graph's collections.`;

const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface SeedArguments {
  scale: number;
  counts: Partial<SeedCounts>;
  drop: boolean;
  mongoUri: string;
}

function seedArguments(args: readonly string[], env: NodeJS.ProcessEnv): SeedArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string', default: '1' },
        drop: { type: 'boolean', default: false },
        ...Object.fromEntries(COUNT_NAMES.map((name) => [name, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const whole = (option: string, text: string) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`--${option} must be a whole number, not "${text}".`);
    return Number(text);
  };
  const counts: Partial<SeedCounts> = {};
  for (const name of COUNT_NAMES) {
    const text = (values as Record<string, unknown>)[name];
    if (typeof text === 'string') counts[name] = whole(name, text);
  }
  const scale = whole('scale', String(values.scale));
  try {
    seedCounts(scale, counts);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!env.MONGODB_URI) throw new UsageError('MONGODB_URI must name the database to seed.');
  return { scale, counts, drop: values.drop === true, mongoUri: env.MONGODB_URI };
}

async function main(): Promise<number> {
  let args: SeedArguments;
  try {
    args = seedArguments(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }

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
