import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  readSignature,
  SignatureRefusedError,
  SUBGRAPH_SIGNATURE_HEADER,
  verifySignedRequest,
  type SubgraphSigning,
} from '../auth/subgraphSignature';
import { withContextErrorStatus } from './contextErrorStatus';
import {
  BatchTooLargeError,
  BodyTooLargeError,
  InvalidJsonBodyError,
  readBody,
  refuseOversizedBatch,
  sendGraphQLError,
  toHTTPGraphQLRequest,
  writeHTTPGraphQLResponse,
} from './graphqlHttp';
import { graphqlTelemetry } from '../telemetry/graphqlTelemetry';
import { serviceRegistry } from '../telemetry/metrics';
import { METRICS_PATH, metricsTokenFromEnv, offerMetricsToPrimary, respondWithMetrics } from '../telemetry/metricsEndpoint';
import { operationLabeller } from '../telemetry/operationLabel';
import { inRequestSpan } from '../telemetry/requestSpan';
import { tracerOf } from '../telemetry/tracing';
import { respondWithLiveness, respondWithReadiness, type ReadinessCheck } from './health';
import { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from './requestId';
import { runInRequestScope } from './requestScope';
import { serviceLogger } from './serviceProcess';

/** A started HTTP service (a subgraph or the gateway), as the launcher and the tests hold it. */
export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeGraphQLOptions<TContext extends BaseContext> {
  /** Service name, reported by the health endpoints and carried by every log line. */
  name: string;
  /** Builds the Apollo server with our plugins (the HTTP drain) included, before it is started. */
  createServer: (plugins: ApolloServerPlugin<TContext>[]) => ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Default '/graphql'. */
  path?: string;
  /**
   * Whether the service can serve now (e.g. its database answers), for `GET /health/ready` and `GET /health`;
   * not ready or throwing answers 503. Without it, a service that answers HTTP is ready.
   */
  readiness?: ReadinessCheck;
  /** Default 1 MiB; a larger body is refused with 413. */
  maxBodyBytes?: number;
  /**
   * When set, only requests the gateway signed (lib/auth/subgraphSignature) reach GraphQL; any other is refused
   * with 401 UNAUTHENTICATED before its body is parsed, a missing or stale signature before it is even read.
   * The health endpoints stay open.
   */
  requireSignature?: SubgraphSigning;
  /**
   * When set, a batch (a JSON array body) of more operations is refused with 400 BATCH_TOO_LARGE before
   * Apollo sees it. Whether batches are accepted at all is Apollo's `allowBatchedHttpRequests`.
   */
  maxBatchSize?: number;
  /**
   * Other routes (e.g. a web app), tried after GraphQL and the health endpoints; answering false leaves the request
   * to the default: `/` redirects to `path`, anything else is 404.
   */
  routes?: (request: IncomingMessage, response: ServerResponse, pathname: string) => boolean | Promise<boolean>;
  /** The service's metrics, served on `GET /metrics`; a registry of its own (serviceRegistry) when not given. */
  metrics?: Registry;
  /** Who may read `/metrics` besides this machine's callers; defaults to the environment's METRICS_TOKEN. */
  metricsToken?: string;
  /** How operation names appear in metric labels; by default the first 100 distinct names, then `other`. */
  operationLabel?: (name: string | null | undefined) => string;
}

// Distinct operation names a service labels its metrics with by default (a subgraph: the gateway's operations).
const DEFAULT_LABELLED_OPERATIONS = 100;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * How long a service keeps an idle keep-alive connection open: longer than its clients keep one before reusing it
 * (the gateway's subgraph client, `CLIENT_IDLE_CONNECTION_MS`; a load balancer's usual 60 s). Otherwise a client may
 * send a request on a connection the server is closing at that very moment, and lose it ("socket hang up"): a
 * gateway retries a query, but never a mutation, which would fail with the subgraph up and well.
 */
export const KEEP_ALIVE_MS = 65_000;
/** How long the gateway reuses an idle connection to a subgraph: well within the subgraph's KEEP_ALIVE_MS. */
export const CLIENT_IDLE_CONNECTION_MS = 30_000;

/**
 * Serves an Apollo server over plain node:http: GraphQL (GET and POST) on `path`, traced and measured (lib/telemetry);
 * `GET /health/live` (the process answers), `GET /health/ready` (it can serve: see `readiness`) and `GET /health`, the
 * same as `/health/ready`; `GET /metrics` (Prometheus, to this machine or with METRICS_TOKEN); and a
 * redirect from `/` to `path` for browsers, unless `routes` serve it. `close()` drains in-flight requests, then stops Apollo.
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeGraphQLOptions<TContext>): Promise<RunningService> {
  const path = options.path ?? '/graphql';
  const logger = serviceLogger(options.name);
  const metrics = options.metrics ?? serviceRegistry(options.name);
  const metricsToken = 'metricsToken' in options ? options.metricsToken : metricsTokenFromEnv();
  offerMetricsToPrimary(metrics);
  const tracer = tracerOf(options.name);
  // A subgraph serves the gateway alone (signed requests), and continues the trace the gateway started.
  const continueTraces = options.requireSignature !== undefined;
  const httpServer = createServer({ keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1_000 });
  const telemetry = graphqlTelemetry({
    service: options.name,
    registry: metrics,
    operationLabel: options.operationLabel ?? operationLabeller({ cap: DEFAULT_LABELLED_OPERATIONS }),
  });
  const apollo = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer }), telemetry]);
  await apollo.start();

  const handleGraphQL = async (request: IncomingMessage, response: ServerResponse, search: string) => {
    const signing = options.requireSignature;
    const signature = signing && readSignature(request.headers[SUBGRAPH_SIGNATURE_HEADER]);
    const body = request.method === 'POST' ? await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) : undefined;
    if (signing && signature) {
      verifySignedRequest(signing, signature, { body: body ?? Buffer.alloc(0), authorization: request.headers.authorization });
    }
    const httpGraphQLRequest = toHTTPGraphQLRequest(request, search, body);
    if (options.maxBatchSize !== undefined) refuseOversizedBatch(httpGraphQLRequest.body, options.maxBatchSize);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () =>
        options.context(request).catch((error: unknown) => {
          throw withContextErrorStatus(error);
        }),
    });
    await writeHTTPGraphQLResponse(response, result);
  };

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://service.invalid');
    if (url.pathname === path) {
      return inRequestSpan(tracer, request, response, path, continueTraces, () => handleGraphQL(request, response, url.search));
    }
    if (url.pathname === METRICS_PATH && request.method === 'GET') return respondWithMetrics(request, response, metrics, metricsToken);
    if (url.pathname === '/health/live') {
      respondWithLiveness(response, options.name);
      return;
    }
    if (url.pathname === '/health/ready' || url.pathname === '/health') {
      return respondWithReadiness(response, options.name, options.readiness, logger);
    }
    if (options.routes && (await options.routes(request, response, url.pathname))) return;
    if (url.pathname === '/' && request.method === 'GET') {
      redirect(response, path + url.search);
      return;
    }
    sendGraphQLError(response, 404, `Nothing is served at ${url.pathname}; GraphQL is at ${path}.`, {
      code: 'NOT_FOUND',
      requestId: requestIdOf(request),
    });
  };

  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const startedAt = performance.now();
    const requestId = assignRequestId(request);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    void runInRequestScope({ requestId, startedAt }, () =>
      handleRequest(request, response).catch((error: unknown) =>
        answerFailure(request, response, error, requestId, logger.child({ requestId })),
      ),
    );
  });

  try {
    await listen(httpServer, options.port, options.host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${urlHost(options.host)}:${port}${path}`;
  logger.info({ url }, `${options.name} listening`);
  return {
    name: options.name,
    url,
    port,
    // Apollo's stop runs the drain plugin first: no new connections, in-flight requests finish.
    close: () => apollo.stop(),
  };
}

function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown, requestId: string, logger: Logger): void {
  if (error instanceof BodyTooLargeError) {
    logger.info({ status: 413 }, 'request refused: body too large');
    // The unread rest of the body is being discarded; closing the connection bounds how long that lasts.
    sendGraphQLError(response, 413, error.message, { code: 'BAD_REQUEST', requestId }, { connection: 'close' });
  } else if (error instanceof InvalidJsonBodyError) {
    logger.info({ status: 400 }, 'request refused: body is not JSON');
    sendGraphQLError(response, 400, error.message, { code: 'BAD_REQUEST', requestId });
  } else if (error instanceof SignatureRefusedError) {
    logger.warn({ status: 401, reason: error.message }, 'request refused: not signed by the gateway');
    // A body refused unread is discarded, and closing the connection bounds how long that lasts.
    request.resume();
    sendGraphQLError(response, 401, error.message, { code: 'UNAUTHENTICATED', requestId }, { connection: 'close' });
  } else if (error instanceof BatchTooLargeError) {
    logger.info({ status: 400, batchSize: error.batchSize }, 'request refused: batch too large');
    sendGraphQLError(response, 400, error.message, { code: 'BATCH_TOO_LARGE', requestId });
  } else if (!response.headersSent) {
    logger.error({ err: error }, 'request failed');
    sendGraphQLError(response, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR', requestId });
  } else {
    logger.warn({ err: error }, 'response interrupted');
    response.destroy();
  }
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location });
  response.end();
}

function listen(httpServer: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port, host }, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
