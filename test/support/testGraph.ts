import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandStartedEvent, Db } from 'mongodb';
import type { Logger } from 'pino';
import { startEmbeddedMongo } from '../../embedded-mongo';
import { gatewayConfigFromEnv } from '../../gateway/config';
import { startGateway } from '../../gateway/startGateway';
import type { Caller } from '../../lib/auth/caller';
import { type AuthConfig, authConfigFromEnv } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { SUBGRAPH_SIGNATURE_HEADER, signatureFor, subgraphSigningFromEnv } from '../../lib/auth/subgraphSignature';
import type { RunningService } from '../../lib/http/serveGraphQL';
import { actionsSubgraph } from '../../subgraphs/actions';
import { housingSubgraph } from '../../subgraphs/housing';
import { partnersSubgraph } from '../../subgraphs/partners';
import { connectMongo } from '../../subgraphs/shared/mongo';
import { startSubgraph, subgraphConfigFromEnv } from '../../subgraphs/shared/startSubgraph';
import type { SubgraphName } from '../../subgraphs/shared/subgraphDefinition';
import { tenancySubgraph } from '../../subgraphs/tenancy';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/**
 * The whole shared graph as a user meets it: the four subgraphs and the gateway over HTTP on loopback,
 * on the embedded MongoDB through the official driver, with the driver's command monitoring on.
 */
export interface TestGraph {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** SUBGRAPH_SIGNING_SECRET for another gateway in front of these subgraphs. */
  signingSecret: string;
  db: Db;
  /** The database commands the subgraphs sent since the last `resetCommands()`. */
  commands: CommandStartedEvent[];
  resetCommands(): void;
  /** Stops one subgraph, as a crash would; the gateway keeps running. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  token(caller: Caller): Promise<string>;
  /**
   * POSTs a GraphQL operation to `url` (the gateway by default) as `caller` (anonymous when null). A request
   * straight to a subgraph is signed as the gateway signs its own, unless `signature` says otherwise.
   */
  request<TData = Record<string, unknown>>(query: string, options: RequestOptions): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  caller: Caller | null;
  variables?: Record<string, unknown>;
  url?: string;
  /** Sent as they are, after the caller's Authorization (which they may replace). */
  headers?: Record<string, string>;
  /** For a subgraph URL: `none` sends no signature; an override signs some other way than the gateway does. */
  signature?: 'none' | SignatureOverride;
}

/** A signature the gateway would not make. */
export interface SignatureOverride {
  /** Signs with this secret instead of the graph's. */
  secret?: string;
  /** Signs as at this instant instead of now. */
  signedAt?: Date;
  /** Signs this body, while the request's own is sent. */
  signedBody?: string;
  /** Signs this Authorization header (undefined: none), while the caller's own is sent. */
  signedAuthorization?: string;
}

export const TEST_ADMIN: Caller = { role: 'ADMIN', sub: 'test-admin' };

const SUBGRAPHS = [housingSubgraph, tenancySubgraph, actionsSubgraph, partnersSubgraph] as const;

export interface TestGraphOptions {
  /** How the gateway and every subgraph verify tokens (and `token()` signs them); the development secret by default. */
  auth?: AuthConfig;
  /** The NODE_ENV the gateway and the subgraphs are configured for; the test run's own by default. */
  nodeEnv?: 'development' | 'production' | 'test';
  /** Further variables the gateway's settings are read from (e.g. OIDC_ISSUER, OPERATION_SAFELIST). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Where the gateway logs (its request lines, its subgraph faults); silent by default. */
  gatewayLogger?: Logger;
}

export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const auth: AuthConfig = options.auth ?? authConfigFromEnv({ NODE_ENV: 'test' });
  const mongo = await startEmbeddedMongo();
  // Made as the subgraphs make theirs: traced when the test registered a tracer provider.
  const client = await connectMongo(mongo.uri);
  const db = client.db(`test-${process.pid}-${Date.now()}`);
  const commands: CommandStartedEvent[] = [];
  client.on('commandStarted', (event) => commands.push(event));

  const env = { ...process.env, ...(options.nodeEnv && { NODE_ENV: options.nodeEnv }) };
  // A secret of the graph's own, as `npm start` makes one for each launch.
  const signingSecret = randomBytes(32).toString('base64url');
  const signing = subgraphSigningFromEnv({ ...env, SUBGRAPH_SIGNING_SECRET: signingSecret });
  const subgraphConfig = subgraphConfigFromEnv(env);
  const subgraphs: RunningService[] = [];
  for (const definition of SUBGRAPHS) {
    subgraphs.push(
      await startSubgraph(definition as Parameters<typeof startSubgraph>[0], {
        port: 0,
        host: '127.0.0.1',
        db,
        auth,
        signing,
        config: subgraphConfig,
      }),
    );
  }
  const subgraphUrls = Object.fromEntries(subgraphs.map((service) => [service.name, service.url])) as Record<SubgraphName, string>;
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
    subgraphUrls,
    auth,
    signing,
    config: gatewayConfigFromEnv({ ...env, ...options.gatewayEnv }),
    ...(options.gatewayLogger && { logger: options.gatewayLogger }),
  });

  const token = (caller: Caller) => signToken(caller, auth, { expiresIn: '10m' });
  return {
    gatewayUrl: gateway.url,
    subgraphUrls,
    signingSecret,
    db,
    commands,
    resetCommands: () => {
      commands.length = 0;
    },
    async stopSubgraph(name) {
      const service = subgraphs.find((candidate) => candidate.name === name);
      if (!service) throw new Error(`No running subgraph ${name}.`);
      subgraphs.splice(subgraphs.indexOf(service), 1);
      await service.close();
    },
    token,
    async request(query, { caller, variables, url = gateway.url, headers: extraHeaders = {}, signature }) {
      const body = JSON.stringify({ query, variables });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (caller) headers.authorization = `Bearer ${await token(caller)}`;
      Object.assign(headers, lowerCaseNames(extraHeaders));
      if (url !== gateway.url && signature !== 'none') {
        const { secret, signedAt = new Date(), signedBody = body } = signature ?? {};
        // As the gateway does: over the Authorization header sent, unless the test signs another one.
        const signedAuthorization = signature && 'signedAuthorization' in signature ? signature.signedAuthorization : headers.authorization;
        const signer = secret === undefined ? signing : { secret: Buffer.from(secret), isDevelopmentDefault: false };
        headers[SUBGRAPH_SIGNATURE_HEADER] = signatureFor(
          signer,
          { body: signedBody, authorization: signedAuthorization },
          signedAt.getTime(),
        );
      }
      const response = await fetch(url, { method: 'POST', headers, body });
      const answer = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...answer } as GraphQLResponse<never>;
    },
    async close() {
      await gateway.close();
      await Promise.all(subgraphs.map((service) => service.close()));
      await client.close();
      await mongo.stop();
    },
  };
}

/** The data of a response that must have succeeded; its errors, if any, fail the test with their messages. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  if (response.errors?.length) {
    throw new Error(`GraphQL errors: ${response.errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('; ')}`);
  }
  return response.data as TData;
}

/** The codes of a response's errors, e.g. ['FORBIDDEN']. */
export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** HTTP header names are case-insensitive: one spelling, so that a header given twice is sent once. */
function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
