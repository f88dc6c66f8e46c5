import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { authConfigFromEnv, type AuthConfig } from '../lib/auth/config';
import { serveGraphQL } from '../lib/http/serveGraphQL';
import type { RunningService } from '../lib/service';
import { ForwardingDataSource } from './forwardingDataSource';
import { gatewayContext, type GatewayContext } from './gatewayContext';
import { bearerAuthentication } from './plugins/auth';
import { explorerLandingPage } from './plugins/explorer';

export interface StartGatewayOptions {
  port: number;
  host?: string;
  /** The composed supergraph (schema/supergraph.graphql); the gateway never fetches one. */
  supergraphSdl: string;
  /** Subgraph URLs by subgraph name, replacing the ones recorded in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  /** Defaults to the environment's (JWT_SECRET, JWT_JWKS_URL, …). */
  auth?: AuthConfig;
}

const GRAPHQL_PATH = '/graphql';

export function startGateway(options: StartGatewayOptions): Promise<RunningService> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new ForwardingDataSource({ url: options.subgraphUrls?.[name] ?? url }),
  });
  return serveGraphQL<GatewayContext>({
    name: 'gateway',
    port: options.port,
    host: options.host,
    path: GRAPHQL_PATH,
    context: gatewayContext(bearerAuthentication(options.auth ?? authConfigFromEnv())),
    createServer: (plugins) =>
      new ApolloServer<GatewayContext>({
        gateway,
        plugins: [
          ...plugins,
          explorerLandingPage({ endpoint: GRAPHQL_PATH }),
          // Nothing about our traffic leaves the machine, even if an APOLLO_KEY is around.
          ApolloServerPluginUsageReportingDisabled(),
        ],
        // The entry point owns signals, so that it can close the HTTP server before exiting.
        stopOnTerminationSignals: false,
      }),
  });
}
