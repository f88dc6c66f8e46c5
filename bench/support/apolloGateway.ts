/**
 * Stock Apollo Gateway for the gateway-only comparison: ApolloServer and ApolloGateway with their defaults, on the
 * composed supergraph, each subgraph at the URL the environment gives (HOUSING_URL…). No authentication, no
 * signing, no header forwarding: what a gateway costs when nothing is added to it.
 *
 * Environment: PORT, SUPERGRAPH_PATH, HOUSING_URL/TENANCY_URL/ACTIONS_URL/PARTNERS_URL.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { subgraphUrlsFromEnv } from '../../lib/subgraphs';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const supergraphPath = env.SUPERGRAPH_PATH;
  if (!supergraphPath) throw new Error('SUPERGRAPH_PATH must name the composed supergraph.');
  const urls: Record<string, string | undefined> = subgraphUrlsFromEnv(env);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url }),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port: Number(env.PORT ?? 4200), host: '127.0.0.1' } });
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
