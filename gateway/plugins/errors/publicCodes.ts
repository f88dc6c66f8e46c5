import { DOMAIN_ERROR_CODES, REQUEST_ERROR_CODES } from '../../../lib/errorCodes';

/** The contract's domain codes: shown as they are, whether the gateway or a subgraph raised them. */
const CONTRACT_CODES: ReadonlySet<string> = new Set(DOMAIN_ERROR_CODES);

/**
 * Apollo's codes about the client's request. Public when the gateway raises them; from a subgraph they
 * mean the gateway sent something the subgraph refused, which is ours to fix, not the client's.
 */
const REQUEST_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  ...REQUEST_ERROR_CODES,
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Whether an error's code (and so its message) is meant for clients. `gatewayCodes` are those the gateway's
 * own features raise (limits, safelist, subgraph faults); the gateway reports a subgraph fault with that
 * subgraph's `serviceName`, so those codes are public whatever the error's origin.
 */
export function isPublicCode(code: unknown, fromSubgraph: boolean, gatewayCodes: ReadonlySet<string>): boolean {
  if (typeof code !== 'string') return false;
  return CONTRACT_CODES.has(code) || gatewayCodes.has(code) || (!fromSubgraph && REQUEST_CODES.has(code));
}
