/**
 * The error codes of the public contract (`errors[].extensions.code`), listed once; the README's "Errors" section
 * names exactly these (a test checks it). Besides them, clients see only GraphQL's own request codes.
 */

/** Raised by any service about the caller or the request's data. */
export const DOMAIN_ERROR_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'] as const;

/**
 * Raised by any service on an HTTP request it cannot take as GraphQL: a body that is not JSON, one over
 * MAX_BODY_BYTES (with status 413), a batch where batching is off.
 */
export const REQUEST_ERROR_CODES = ['BAD_REQUEST'] as const;

/** Raised by the gateway: its limits, its safelist, and the faults of the subgraphs it calls. */
export const GATEWAY_ERROR_CODES = [
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_COMPLEX',
  'BATCH_TOO_LARGE',
  'OPERATION_NOT_IN_SAFELIST',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
] as const;

/** Raised by a subgraph to a caller that is not the gateway (which splits its own larger `_entities` fetches). */
export const SUBGRAPH_ERROR_CODES = ['TOO_MANY_REPRESENTATIONS'] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];
export type SubgraphErrorCode = (typeof SUBGRAPH_ERROR_CODES)[number];
