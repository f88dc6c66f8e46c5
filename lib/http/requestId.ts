import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Ids from outside end up in logs and in headers to subgraphs, so only a short, plain token is trusted.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Keeps the caller's request id when it is acceptable, otherwise assigns a fresh one, and records it on the
 * request so that everything downstream (context, logs, subgraph calls) reads the same id.
 */
export function assignRequestId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const requestId = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.headers[REQUEST_ID_HEADER] = requestId;
  return requestId;
}

/** The id `assignRequestId` gave this request. */
export function requestIdOf(request: IncomingMessage): string {
  const requestId = request.headers[REQUEST_ID_HEADER];
  if (typeof requestId !== 'string') throw new Error('The request has no id: it did not come through serveGraphQL.');
  return requestId;
}
