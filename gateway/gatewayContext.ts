import type { IncomingMessage } from 'node:http';
import type { Caller } from '../lib/auth/caller';
import { requestIdOf } from '../lib/http/requestId';

/** What the gateway knows about one request, and passes on to the subgraphs. */
export interface GatewayContext {
  caller: Caller;
  authorization: string;
  requestId: string;
}

export function gatewayContext(
  authenticate: (request: IncomingMessage) => Promise<Pick<GatewayContext, 'caller' | 'authorization'>>,
): (request: IncomingMessage) => Promise<GatewayContext> {
  return async (request) => ({ ...(await authenticate(request)), requestId: requestIdOf(request) });
}
