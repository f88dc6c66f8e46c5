import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Caller } from '../../../lib/auth/caller';
import { errorCodesOf, refusalOf } from '../../../lib/errors/responseCodes';
import { currentRequestScope, elapsedMilliseconds } from '../../../lib/http/requestScope';
import type { GatewayContext } from '../auth';

/** One line per operation; nothing of the query text or variables, which may hold personal data. */
interface RequestLine {
  requestId: string | undefined;
  operationName: string | null;
  operationType?: string;
  /** The caller's role and organisational scope; never `sub`, which identifies a person. */
  role?: Caller['role'];
  scope?: Record<string, string | readonly string[]>;
  durationMs: number | undefined;
  status: number;
  errorCodes: string[];
}

/**
 * Logs every operation through the gateway as one structured line when its response is sent, and the
 * requests refused before an operation could run (no valid token, CSRF, malformed request). A batch logs
 * one line per operation, all with the batch's request id.
 */
export function requestLog(logger: Logger): ApolloServerPlugin<GatewayContext> {
  const write = (line: Omit<RequestLine, 'requestId' | 'durationMs'>) => {
    const scope = currentRequestScope();
    const entry: RequestLine = { requestId: scope?.requestId, ...line, durationMs: scope && elapsedMilliseconds(scope) };
    logger.info(entry, 'graphql request');
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          write({
            operationName: operationName ?? null,
            ...(operation && { operationType: operation.operation }),
            ...callerFields(contextValue.caller),
            status: response.http.status ?? 200,
            errorCodes: errorCodesOf(response.body),
          });
        },
      };
    },
    async contextCreationDidFail({ error }) {
      // Apollo answers 500 unless the error names its status (UNAUTHENTICATED: 401).
      write({ operationName: null, ...refusalOf(error, 500) });
    },
    async invalidRequestWasReceived({ error }) {
      write({ operationName: null, ...refusalOf(error, 400) });
    },
  };
}

function callerFields(caller: Caller): Pick<RequestLine, 'role' | 'scope'> {
  switch (caller.role) {
    case 'ADMIN':
      return { role: caller.role };
    case 'LANDLORD_STAFF':
      return { role: caller.role, scope: { landlordId: caller.landlordId } };
    case 'COORDINATOR':
      return { role: caller.role, scope: { districtIds: caller.districtIds } };
    case 'PARTNER':
      return { role: caller.role, scope: { partnerId: caller.partnerId } };
  }
}
