import { MongoClient } from 'mongodb';

/** The database every subgraph uses: `MONGODB_DB`, else the one named in the URI, else `quartier-commun`. */
export function databaseName(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.MONGODB_DB) return env.MONGODB_DB;
  const pathPart = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1);
  return decodeURIComponent(pathPart) || 'quartier-commun';
}

export async function connectMongo(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, { appName: 'quartier-commun', maxPoolSize: 20 });
  await client.connect();
  return client;
}
