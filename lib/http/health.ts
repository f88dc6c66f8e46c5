import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { sendJson } from './graphqlHttp';

/** How a dependency (a database, a subgraph) answered a health probe. */
export type DependencyState = 'ok' | 'timeout' | 'unreachable';

/** Whether a service can serve now, with public details that say which dependency is not ('mongo': 'timeout'). */
export interface Readiness {
  ready: boolean;
  details: Record<string, unknown>;
}

export type ReadinessCheck = () => Promise<Readiness>;

// A readiness check that hangs must read as not ready, not as a hung probe; each dependency has its own, shorter limit.
const READINESS_TIMEOUT_MS = 5_000;

/** The process is up and answers HTTP: nothing else is checked (a restart would not fix a dependency). */
export function respondWithLiveness(response: ServerResponse, service: string): void {
  sendJson(response, 200, { status: 'ok', service }, { 'cache-control': 'no-store' });
}

/** 200 when the service can serve, else 503 with which dependency is down; an unexpected failure goes to the log only. */
export async function respondWithReadiness(
  response: ServerResponse,
  service: string,
  check: ReadinessCheck | undefined,
  logger: Logger,
): Promise<void> {
  const headers = { 'cache-control': 'no-store' };
  try {
    const { ready, details } = check ? await withTimeout(check(), READINESS_TIMEOUT_MS) : { ready: true, details: {} };
    if (!ready) logger.warn({ ...details }, 'not ready');
    sendJson(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', service, ...details }, headers);
  } catch (error) {
    logger.warn({ err: error }, 'readiness check failed');
    sendJson(response, 503, { status: 'unavailable', service }, headers);
  }
}

/** Runs one dependency's probe within `timeoutMs`: `ok` when it resolves, `timeout` or `unreachable` otherwise. */
export async function probeDependency(probe: (signal: AbortSignal) => Promise<unknown>, timeoutMs: number): Promise<DependencyState> {
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = new Promise<DependencyState>((resolve) => signal.addEventListener('abort', () => resolve('timeout'), { once: true }));
  const answered = probe(signal).then(
    (): DependencyState => 'ok',
    (): DependencyState => (signal.aborted ? 'timeout' : 'unreachable'),
  );
  return Promise.race([answered, timedOut]);
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
