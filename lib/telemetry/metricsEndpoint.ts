import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { ConfigError, nonEmpty } from '../config/envVariables';
import { sendJson } from '../http/graphqlHttp';

export const METRICS_PATH = '/metrics';

/** Who may read `/metrics`: callers on this machine, and anyone presenting `token` (METRICS_TOKEN) as a bearer. */
export type MetricsAccess = 'allowed' | 'unauthenticated' | 'forbidden';

// A secret a scraper sends with every request is worth a guess per request: long enough to make that hopeless.
const MIN_TOKEN_LENGTH = 16;

/** `METRICS_TOKEN`, when set: at least 16 characters. */
export function metricsTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = nonEmpty(env.METRICS_TOKEN);
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters long.`);
  }
  return token;
}

/**
 * Metrics tell load, error rates and which subgraph is down: operators' business, not callers'. A request with the
 * right bearer token may read them; without a token, only a caller on the loopback interface that no proxy
 * forwarded (a proxy on the same machine would make every client look local). A wrong or missing token where one
 * is configured is `unauthenticated` (401), anything else not allowed `forbidden` (403).
 */
export function metricsAccess(request: IncomingMessage, token: string | undefined): MetricsAccess {
  const authorization = request.headers.authorization;
  if (token !== undefined && authorization !== undefined) {
    return sameSecret(authorization, `Bearer ${token}`) ? 'allowed' : 'unauthenticated';
  }
  if (isLoopback(request.socket.remoteAddress) && !isForwarded(request)) return 'allowed';
  return token === undefined ? 'forbidden' : 'unauthenticated';
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
}

function isForwarded(request: IncomingMessage): boolean {
  return request.headers.forwarded !== undefined || request.headers['x-forwarded-for'] !== undefined;
}

/** Compares digests, so that neither the length nor any prefix of the secret shows in the time taken. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Answers `GET /metrics` in Prometheus' text format, to those `metricsAccess` allows. */
export async function respondWithMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry,
  token: string | undefined,
): Promise<void> {
  const access = metricsAccess(request, token);
  if (access !== 'allowed') {
    const status = access === 'unauthenticated' ? 401 : 403;
    const headers = access === 'unauthenticated' ? { 'www-authenticate': 'Bearer realm="metrics"' } : {};
    sendJson(
      response,
      status,
      {
        error:
          access === 'unauthenticated' ? 'A valid metrics token is required.' : 'Metrics are served to this machine or with METRICS_TOKEN.',
      },
      headers,
    );
    return;
  }
  const text = cluster.isWorker && process.connected ? await clusterMetrics() : await registry.metrics();
  response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  response.end(text);
}

// Gateway workers (GATEWAY_WORKERS > 1) share one port, so a scrape reaches any one of them: it asks the primary,
// which gathers every worker's registry (prom-client's AggregatorRegistry) and sums them into one answer.
const CLUSTER_METRICS_REQUEST = 'quartier-commun:metrics-request';
const CLUSTER_METRICS_ANSWER = 'quartier-commun:metrics-answer';
const CLUSTER_METRICS_TIMEOUT_MS = 6_000;

interface ClusterMetricsMessage {
  type: string;
  id: number;
  metrics?: string;
  error?: string;
}

let nextRequestId = 0;

/**
 * In a gateway worker, as it starts: `registry` is what this worker answers when the primary gathers every
 * worker's metrics (each must answer, or the gathering fails). Nothing outside a cluster worker.
 */
export function offerMetricsToPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's listener that answers the primary with the registries set above.
  new AggregatorRegistry();
}

/** In a worker: every worker's metrics, summed, from the primary (see offerMetricsToPrimary). */
function clusterMetrics(): Promise<string> {
  const id = nextRequestId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the gateway primary did not answer with metrics')), CLUSTER_METRICS_TIMEOUT_MS);
    const onMessage = (message: ClusterMetricsMessage) => {
      if (message.type === CLUSTER_METRICS_ANSWER && message.id === id)
        finish(message.error ? new Error(message.error) : undefined, message.metrics);
    };
    const finish = (error: Error | undefined, metrics?: string) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error) reject(error);
      else resolve(metrics ?? '');
    };
    process.on('message', onMessage);
    process.send?.({ type: CLUSTER_METRICS_REQUEST, id } satisfies ClusterMetricsMessage);
  });
}

/** In the primary of a gateway's workers: answers each worker's request with every worker's metrics, summed. */
export function gatherWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: ClusterMetricsMessage) => {
    if (message.type !== CLUSTER_METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (metrics) => worker.send({ type: CLUSTER_METRICS_ANSWER, id: message.id, metrics } satisfies ClusterMetricsMessage),
      (error: unknown) =>
        worker.send({ type: CLUSTER_METRICS_ANSWER, id: message.id, error: String(error) } satisfies ClusterMetricsMessage),
    );
  });
}
