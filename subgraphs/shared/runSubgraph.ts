import { authConfigFromEnv } from '../../lib/auth/config';
import { connectMongo, databaseName } from './mongo';
import { startSubgraph } from './startSubgraph';
import type { SubgraphDefinition } from './subgraphDefinition';

/** The process entry of a subgraph: `PORT` and `MONGODB_URI` from the environment, a clean stop on SIGINT/SIGTERM. */
export async function runSubgraph<TStore>(definition: SubgraphDefinition<TStore>, defaultPort: number): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error(`The ${definition.name} subgraph needs MONGODB_URI.`);
  const mongo = await connectMongo(uri);
  const service = await startSubgraph(definition, {
    port: Number(process.env.PORT ?? defaultPort),
    host: process.env.HOST,
    db: mongo.db(databaseName(uri)),
    auth: authConfigFromEnv(),
  });
  console.log(`${definition.name} subgraph ready at ${service.url}`);
  const stop = async () => {
    await service.close();
    await mongo.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
