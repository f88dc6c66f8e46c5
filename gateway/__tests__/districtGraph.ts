import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import type { Caller } from '../../lib/auth/caller';
import { authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { type RunningService, serveGraphQL } from '../../lib/http/serveGraphQL';
import { gatewayConfigFromEnv } from '../config';
import { startGateway } from '../startGateway';

/**
 * A small federated graph for the gateway's own behaviour: `districts` owns Query.district (id, name,
 * neighbours), `notes` adds a nullable District.note and a mutation, and can be made to fail on demand.
 */
const districtsTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    district(id: ID!): District
    districts: [District!]!
    "Fails the way a database does, with a message that must not reach production clients."
    failing: String
    forbidden: String
  }

  type District @key(fields: "id") {
    id: ID!
    name: String!
    neighbours: [District!]!
  }
`);

const notesTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type District @key(fields: "id") {
    id: ID!
    note: String
  }

  type Mutation {
    addNote(districtId: ID!, text: String!): String
  }
`);

const DISTRICTS = [
  { id: 'd1', name: 'Les Tilleuls' },
  { id: 'd2', name: 'La Source' },
];

export const DATABASE_FAILURE = 'E11000 duplicate key error collection: qc.households index: secret_internals_1';

export interface CountedSubgraph {
  service: RunningService;
  /** HTTP requests received so far. */
  calls(): number;
}

export interface NotesSubgraph extends CountedSubgraph {
  /** Answers the next `count` calls with 503, as a restarting service behind a proxy does. */
  failNext(count: number): void;
  /** Holds every call until the caller gives up and closes the connection. */
  hang(): void;
  /** Back to answering normally. */
  heal(): void;
}

export interface DistrictGraph {
  gateway: RunningService;
  districts: CountedSubgraph;
  notes: NotesSubgraph;
  /** The gateway's log, one parsed object per line. */
  logLines: Record<string, unknown>[];
  token(caller?: Caller): Promise<string>;
  /** POSTs a JSON body to the gateway, as an administrator unless `caller` is null. */
  post(body: unknown, options?: { caller?: Caller | null; headers?: Record<string, string> }): Promise<GatewayResponse>;
  close(): Promise<void>;
}

export interface GatewayResponse {
  status: number;
  headers: Headers;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

const ADMIN: Caller = { role: 'ADMIN', sub: 'gateway-test' };

/** The graph behind a gateway configured as by `env` (NODE_ENV defaults to test). */
export async function startDistrictGraph(env: NodeJS.ProcessEnv = {}): Promise<DistrictGraph> {
  const auth = authConfigFromEnv({ NODE_ENV: 'test' });
  const districts = await startDistrictsSubgraph();
  const notes = await startNotesSubgraph();
  const composition = composeServices([
    { name: 'districts', url: 'http://127.0.0.1:9/graphql', typeDefs: districtsTypeDefs },
    { name: 'notes', url: 'http://127.0.0.1:9/graphql', typeDefs: notesTypeDefs },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));

  const logLines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
  let gateway: RunningService;
  try {
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: composition.supergraphSdl,
      subgraphUrls: { districts: districts.service.url, notes: notes.service.url },
      auth,
      config: gatewayConfigFromEnv({ NODE_ENV: 'test', ...env }),
      logger,
    });
  } catch (error) {
    await Promise.all([districts.service.close(), notes.service.close()]);
    throw error;
  }
  const token = (caller: Caller = ADMIN) => signToken(caller, auth, { expiresIn: '5m' });
  return {
    gateway,
    districts,
    notes,
    logLines,
    token,
    async post(body, { caller = ADMIN, headers = {} } = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(caller && { authorization: `Bearer ${await token(caller)}` }),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as GatewayResponse['body'] };
    },
    async close() {
      notes.heal();
      await gateway.close();
      await Promise.all([districts.service.close(), notes.service.close().catch(() => undefined)]);
    },
  };
}

async function serveSubgraph(name: string, typeDefs: DocumentNode, resolvers: object, admit: (request: IncomingMessage) => Promise<void>) {
  let calls = 0;
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
  const service = await serveGraphQL({
    name,
    createServer: (plugins) =>
      new ApolloServer({
        schema,
        plugins: [...plugins, ApolloServerPluginInlineTraceDisabled()],
        // As a subgraph started without NODE_ENV would: the gateway must not pass its stacks on.
        includeStacktraceInErrorResponses: true,
      }),
    context: async (request) => {
      calls += 1;
      await admit(request);
      return {};
    },
    port: 0,
    host: '127.0.0.1',
  });
  return { service, calls: () => calls };
}

function startDistrictsSubgraph(): Promise<CountedSubgraph> {
  return serveSubgraph(
    'districts',
    districtsTypeDefs,
    {
      Query: {
        district: (_: unknown, { id }: { id: string }) => DISTRICTS.find((district) => district.id === id) ?? null,
        districts: () => DISTRICTS,
        failing: () => {
          throw new Error(DATABASE_FAILURE);
        },
        forbidden: () => {
          throw new GraphQLError('You may not see this district’s accounts.', { extensions: { code: 'FORBIDDEN' } });
        },
      },
      District: {
        __resolveReference: ({ id }: { id: string }) => DISTRICTS.find((district) => district.id === id),
        neighbours: ({ id }: { id: string }) => DISTRICTS.filter((district) => district.id !== id),
      },
    },
    async () => {},
  );
}

async function startNotesSubgraph(): Promise<NotesSubgraph> {
  let failuresLeft = 0;
  let hanging = false;
  const held = new Set<() => void>();
  const subgraph = await serveSubgraph(
    'notes',
    notesTypeDefs,
    {
      District: { note: ({ id }: { id: string }) => `Note on ${id}` },
      Mutation: { addNote: (_: unknown, { text }: { text: string }) => text },
    },
    async (request) => {
      if (hanging) {
        await new Promise<void>((release) => {
          held.add(release);
          request.socket.once('close', release);
        });
        throw new GraphQLError('gave up waiting');
      }
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new GraphQLError('Service Unavailable', { extensions: { http: { status: 503 } } });
      }
    },
  );
  return {
    ...subgraph,
    failNext: (count) => {
      failuresLeft = count;
    },
    hang: () => {
      hanging = true;
    },
    heal: () => {
      failuresLeft = 0;
      hanging = false;
      for (const release of held) release();
      held.clear();
    },
  };
}
