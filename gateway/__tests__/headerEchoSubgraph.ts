import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import { type RunningService, serveGraphQL } from '../../lib/http/serveGraphQL';

/** A one-field subgraph that answers with the headers it received from the gateway. */
const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    receivedHeaders: ReceivedHeaders!
  }

  type ReceivedHeaders {
    authorization: String
    requestId: String
  }
`);

interface EchoContext {
  headers: IncomingHttpHeaders;
}

export interface HeaderEchoSubgraph {
  service: RunningService;
  /** Composed with the subgraph's URL recorded as an unreachable one, so overrides are exercised. */
  supergraphSdl: string;
  requestCount(): number;
}

export async function startHeaderEchoSubgraph(): Promise<HeaderEchoSubgraph> {
  let requests = 0;
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Query: {
          receivedHeaders: (_: unknown, __: unknown, { headers }: EchoContext) => ({
            authorization: headers.authorization,
            requestId: headers['x-request-id'],
          }),
        },
      },
    },
  ]);
  const service = await serveGraphQL<EchoContext>({
    name: 'echo',
    createServer: (plugins) => new ApolloServer<EchoContext>({ schema, plugins: [...plugins, ApolloServerPluginInlineTraceDisabled()] }),
    context: async (request) => {
      requests += 1;
      return { headers: request.headers };
    },
    port: 0,
    host: '127.0.0.1',
  });
  const composition = composeServices([{ name: 'echo', url: 'http://127.0.0.1:9/graphql', typeDefs }]);
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
  return { service, supergraphSdl: composition.supergraphSdl, requestCount: () => requests };
}
