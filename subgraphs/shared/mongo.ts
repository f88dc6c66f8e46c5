import { type Db, MongoClient } from 'mongodb';
import type { Registry } from 'prom-client';
import { CONNECTION_COMMANDS, observeMongo } from '../../lib/telemetry/mongoTelemetry';

/**
 * Every collection of the shared graph's database and the subgraph that owns it. Only the owner writes a
 * collection; other subgraphs read the few facts they need through `directory.ts`.
 */
export const COLLECTIONS = {
  landlords: 'landlords', // housing
  districts: 'districts', // housing
  estates: 'estates', // housing
  buildings: 'buildings', // housing
  dwellings: 'dwellings', // housing
  serviceRequests: 'serviceRequests', // tenancy
  requestCells: 'requestCells', // tenancy: the request statistics' base cells, derived from serviceRequests
  requestCellsRevisions: 'requestCellsRevisions', // tenancy: a token per district, new with each change of its cells
  households: 'households', // tenancy
  satisfactionSurveys: 'satisfactionSurveys', // tenancy
  campaigns: 'campaigns', // tenancy
  campaignCalls: 'campaignCalls', // tenancy
  referrals: 'referrals', // tenancy
  contactAccessLog: 'contactAccessLog', // tenancy
  actions: 'actions', // actions
  tfpbProgrammes: 'tfpbProgrammes', // actions
  partners: 'partners', // partners
  agreements: 'agreements', // partners
  graphRevisions: 'graphRevisions', // every subgraph: its own token, new with each of its mutations (graphRevisions.ts)
} as const;

/** The database every subgraph uses: `MONGODB_DB`, else the one named in the URI, else `quartier-commun`. */
export function databaseName(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.MONGODB_DB) return env.MONGODB_DB;
  const pathPart = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1);
  return decodeURIComponent(pathPart) || 'quartier-commun';
}

export interface ConnectOptions {
  /** Where the client's command latencies and pool size are measured (a subgraph's `/metrics`). */
  metrics?: Registry;
}

/**
 * The one place a MongoDB client is made: with the driver's command monitoring on, which traces each command (when
 * tracing is on), measures it (with `metrics`) and lets `countCommands` count it.
 */
export async function connectMongo(uri: string, options: ConnectOptions = {}): Promise<MongoClient> {
  const client = new MongoClient(uri, { appName: 'quartier-commun', maxPoolSize: 20, monitorCommands: true });
  observeMongo(client, options.metrics);
  await client.connect();
  return client;
}

/** Runs `work` on the URI's database over a connection of its own, closed afterwards (scripts: seed, import, demo data). */
export async function withDatabase<T>(uri: string, work: (db: Db) => Promise<T>): Promise<T> {
  const client = await connectMongo(uri);
  try {
    return await work(client.db(databaseName(uri)));
  } finally {
    await client.close();
  }
}

/** The database commands a client has sent so far, and the time the server took to answer them. */
export interface CommandCount {
  commands: number;
  milliseconds: number;
}

/** `MONGO_COMMAND_COUNTING=1`: a subgraph counts its database commands and reports them on /health (for benchmarks). */
export function commandCountingFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.MONGO_COMMAND_COUNTING === '1';
}

/** Counts the commands a client made by `connectMongo` sends (not health pings and handshakes); returns a reader of the running totals. */
export function countCommands(client: MongoClient): () => CommandCount {
  const count: CommandCount = { commands: 0, milliseconds: 0 };
  client.on('commandStarted', (event) => {
    if (!CONNECTION_COMMANDS.has(event.commandName)) count.commands += 1;
  });
  const addDuration = (event: { commandName: string; duration: number }) => {
    if (!CONNECTION_COMMANDS.has(event.commandName)) count.milliseconds += event.duration;
  };
  client.on('commandSucceeded', addDuration);
  client.on('commandFailed', addDuration);
  return () => ({ commands: count.commands, milliseconds: Math.round(count.milliseconds * 10) / 10 });
}
