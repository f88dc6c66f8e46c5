import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** One GraphQL error as the graph sends it (see the README's "Errors"). */
export interface GraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphResult<TData> {
  /** Partial data is normal: a field the caller may not read, or whose subgraph fails, is null with an error. */
  data: TData | null;
  errors: GraphError[];
}

/** A request the graph refused as a whole (no data at all): its first error says why. */
export class GraphRequestError extends Error {
  constructor(readonly errors: GraphError[]) {
    super(errors[0]?.message ?? 'La requête a échoué.');
    this.name = 'GraphRequestError';
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/**
 * What to tell the person when the graph refuses a change for a reason other than a conflict (which each screen
 * answers by showing the record as it is now). `forbidden` names what the role may not do, when a screen says more.
 */
export function refusalMessage(error: unknown, forbidden = 'Votre rôle ne vous permet pas cette opération.'): string {
  if (error instanceof GraphRequestError && error.code === 'FORBIDDEN') return forbidden;
  if (error instanceof GraphRequestError && error.code === 'BAD_USER_INPUT') return `Saisie refusée : ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

type PersistedDocument<TData, TVariables> = TypedDocumentNode<TData, TVariables> & { __meta__?: { hash?: string } };

let bearerToken: string | undefined;
let onUnauthenticated: () => void = () => undefined;

export function useToken(token: string | undefined, whenRefused: () => void): void {
  bearerToken = token;
  onUnauthenticated = whenRefused;
}

/**
 * Runs one of the app's operations by its persisted-document hash alone: the gateway knows every operation of the
 * app (its persisted documents), so no query text travels, and the app works with OPERATION_SAFELIST=on.
 */
export async function execute<TData, TVariables>(
  document: PersistedDocument<TData, TVariables>,
  variables: TVariables,
): Promise<GraphResult<TData>> {
  // Codegen writes `sha256:<hex>`; APQ takes the hex digest alone.
  const hash = document.__meta__?.hash?.replace(/^sha256:/, '');
  if (hash === undefined) throw new Error('Every operation of the app is a persisted document; run `npm run codegen`.');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'apollo-require-preflight': 'true' };
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: TData | null; errors?: GraphError[] };
  const errors = body.errors ?? [];
  if (response.status === 401 || errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
  if (body.data === undefined || body.data === null) {
    throw new GraphRequestError(errors.length > 0 ? errors : [{ message: `Le serveur a répondu ${response.status}.` }]);
  }
  return { data: body.data, errors };
}

/** The first error of a mutation that failed, thrown so that forms can show it. */
export async function mutate<TData, TVariables>(document: PersistedDocument<TData, TVariables>, variables: TVariables): Promise<TData> {
  const result = await execute(document, variables).catch((error: unknown) => {
    throw error instanceof GraphRequestError ? error : new GraphRequestError([{ message: String(error) }]);
  });
  if (result.errors.length > 0 || result.data === null) throw new GraphRequestError(result.errors);
  return result.data;
}
