import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Db, MongoClient } from 'mongodb';
import type { SeedCounts } from '../../scripts/seed/counts';
import { runToCompletion } from './processes';

/** About 10 landlords, 50 districts, 2,000 buildings, 60,000 dwellings, 300,000 service requests, 5,000 actions. */
export const DEFAULT_COUNTS: SeedCounts = {
  landlords: 10,
  districts: 50,
  buildings: 2_000,
  dwellings: 60_000,
  requests: 300_000,
  actions: 5_000,
};

/**
 * One district `factor` times the district size of `counts` (buildings per district, and the dwellings and
 * requests that come with them), shared by three landlords, with the number of actions per district of `counts`.
 */
export function scaledDistrictCounts(factor: number, counts: SeedCounts = DEFAULT_COUNTS): SeedCounts {
  const perDistrict = (count: number) => Math.round(count / counts.districts);
  return {
    landlords: 3,
    districts: 1,
    buildings: perDistrict(counts.buildings) * factor,
    dwellings: perDistrict(counts.dwellings) * factor,
    requests: perDistrict(counts.requests) * factor,
    actions: perDistrict(counts.actions),
  };
}

/**
 * Loads `database` directly with the project's loader: `npm run db:load` (an empty database, no graph running), or
 * `npm run seed` for versions of the project from before the seed went through the graph.
 */
export async function seed(
  database: string,
  counts: SeedCounts,
  options: { root: string; mongoUri: string; logDir: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  const countArgs = Object.entries(counts).flatMap(([name, count]) => [`--${name}`, String(count)]);
  const args = ['--drop', ...countArgs];
  const packageJson = JSON.parse(readFileSync(path.join(options.root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = packageJson.scripts?.['db:load'] ? 'db:load' : 'seed';
  const [command, commandArgs] = ['npm', ['run', '--silent', script, '--', ...args]];
  const started = performance.now();
  await runToCompletion(`seed-${database}`, command, commandArgs, {
    cwd: options.root,
    env: { ...options.env, MONGODB_URI: databaseUri(options.mongoUri, database) },
    logDir: options.logDir,
    timeoutMs: 6 * 60_000,
  });
  return (performance.now() - started) / 1000;
}

/** The URI of one database on the server at `serverUri` (which names none). */
export function databaseUri(serverUri: string, database: string): string {
  const url = new URL(serverUri);
  url.pathname = `/${database}`;
  return url.toString();
}

/** What the workloads need to know about a seeded database. */
export interface Fixtures {
  /** District ids in id order, the demo district first, with the landlords owning buildings there. */
  districts: { id: string; landlordIds: string[] }[];
  buildingIds: string[];
}

export async function readFixtures(uri: string): Promise<Fixtures> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db: Db = client.db();
    const owners = await db
      .collection('buildings')
      .aggregate<{ _id: string; landlordIds: string[] }>([{ $group: { _id: '$districtId', landlordIds: { $addToSet: '$landlordId' } } }])
      .toArray();
    const byDistrict = new Map(owners.map((entry) => [entry._id, entry.landlordIds.sort()]));
    const districtIds = (
      await db
        .collection<{ _id: string }>('districts')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((district) => district._id);
    // The demo's Grand Mirail first: it is the district people know.
    districtIds.sort((a, b) => (a === 'district-grand-mirail' ? -1 : b === 'district-grand-mirail' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    const buildingIds = (
      await db
        .collection<{ _id: string }>('buildings')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((building) => building._id);
    return { districts: districtIds.map((id) => ({ id, landlordIds: byDistrict.get(id) ?? [] })), buildingIds };
  } finally {
    await client.close();
  }
}
