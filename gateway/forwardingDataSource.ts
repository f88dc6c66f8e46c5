import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '../lib/http/requestId';
import type { GatewayContext } from './gatewayContext';

/**
 * Calls a subgraph with the client's own Authorization header (identity is propagated as the token
 * itself; each subgraph verifies it) and the request id, so one operation can be followed across logs.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Only client operations carry a caller; the gateway's own health checks have none to forward.
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    headers?.set('authorization', options.context.authorization);
    headers?.set(REQUEST_ID_HEADER, options.context.requestId);
  }
}
