import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { sendJson } from './jsonResponse';

export type HealthDetails = () => Promise<Record<string, unknown>>;

// A dependency that hangs (e.g. an unreachable database) must read as unhealthy, not as a hung probe.
const HEALTH_TIMEOUT_MS = 5_000;

/** 200 with the service's details, or 503 when they cannot be gathered; the cause goes to the log only. */
export async function respondWithHealth(
  response: ServerResponse,
  service: string,
  details: HealthDetails | undefined,
  logger: Logger,
): Promise<void> {
  const headers = { 'cache-control': 'no-store' };
  try {
    const extra = details ? await withTimeout(details(), HEALTH_TIMEOUT_MS) : {};
    sendJson(response, 200, { status: 'ok', service, ...extra }, headers);
  } catch (error) {
    logger.warn({ err: error }, 'health check failed');
    sendJson(response, 503, { status: 'unavailable', service }, headers);
  }
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
