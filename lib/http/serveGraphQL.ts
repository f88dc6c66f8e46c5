import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RunningService } from '../service';
import { InvalidJsonBodyError, toHTTPGraphQLRequest, writeHTTPGraphQLResponse } from './apolloHttpBridge';
import { withContextErrorStatus } from './contextErrorStatus';
import { respondWithHealth, type HealthDetails } from './health';
import { sendGraphQLError } from './jsonResponse';
import { serviceLogger } from './logger';
import { BodyTooLargeError, readBody } from './readBody';
import { assignRequestId, REQUEST_ID_HEADER } from './requestId';

export interface ServeGraphQLOptions<TContext extends BaseContext> {
  /** Service name, reported by /health and carried by every log line. */
  name: string;
  /** Builds the Apollo server with our plugins (the HTTP drain) included, before it is started. */
  createServer: (plugins: ApolloServerPlugin<TContext>[]) => ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Default '/graphql'. */
  path?: string;
  /** Extra details for /health, e.g. a database ping; throwing answers 503. */
  health?: HealthDetails;
  /** Default 1 MiB; a larger body is refused with 413. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves an Apollo server over plain node:http: GraphQL (GET and POST) on `path`, `GET /health`, and a
 * redirect from `/` to `path` for browsers. `close()` drains in-flight requests, then stops Apollo.
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeGraphQLOptions<TContext>): Promise<RunningService> {
  const path = options.path ?? '/graphql';
  const logger = serviceLogger(options.name);
  const httpServer = createServer();
  const apollo = options.createServer([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await apollo.start();

  const handleGraphQL = async (request: IncomingMessage, response: ServerResponse, search: string) => {
    const body = request.method === 'POST' ? await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) : undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: toHTTPGraphQLRequest(request, search, body),
      context: () => options.context(request).catch((error: unknown) => Promise.reject(withContextErrorStatus(error))),
    });
    await writeHTTPGraphQLResponse(response, result);
  };

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://service.invalid');
    if (url.pathname === path) return handleGraphQL(request, response, url.search);
    if (url.pathname === '/health') return respondWithHealth(response, options.name, options.health, logger);
    if (url.pathname === '/' && request.method === 'GET') return redirect(response, path + url.search);
    return sendGraphQLError(response, 404, `Nothing is served at ${url.pathname}; GraphQL is at ${path}.`, 'NOT_FOUND');
  };

  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const requestId = assignRequestId(request);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    handleRequest(request, response).catch((error: unknown) => answerFailure(response, error, logger.child({ requestId })));
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

function answerFailure(response: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof BodyTooLargeError) {
    // The unread rest of the body is being discarded; closing the connection bounds how long that lasts.
    sendGraphQLError(response, 413, error.message, 'BAD_REQUEST', { connection: 'close' });
  } else if (error instanceof InvalidJsonBodyError) {
    sendGraphQLError(response, 400, error.message, 'BAD_REQUEST');
  } else if (!response.headersSent) {
    logger.error({ err: error }, 'request failed');
    sendGraphQLError(response, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
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
