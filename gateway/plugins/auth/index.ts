import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../../lib/auth/caller';
import type { AuthConfig } from '../../../lib/auth/config';
import { authenticateRequest } from '../../../lib/auth/verify';
import { requestIdOf } from '../../../lib/http/requestId';

export interface Authenticated {
  caller: Caller;
  /** The verified header, passed on unchanged: each subgraph verifies the token again. */
  authorization: string;
}

/**
 * Every operation through the gateway needs a valid bearer token; without one the request fails with
 * UNAUTHENTICATED before any subgraph is called. (/health and the landing page never reach this.)
 */
export function bearerAuthentication(config: AuthConfig): (request: IncomingMessage) => Promise<Authenticated> {
  return async (request) => {
    const caller = await authenticateRequest(request, config);
    return { caller, authorization: request.headers.authorization as string };
  };
}

/** What the gateway knows about one request, and passes on to the subgraphs. */
export interface GatewayContext extends Authenticated {
  requestId: string;
}

export function gatewayContext(
  authenticate: (request: IncomingMessage) => Promise<Authenticated>,
): (request: IncomingMessage) => Promise<GatewayContext> {
  return async (request) => ({ ...(await authenticate(request)), requestId: requestIdOf(request) });
}
