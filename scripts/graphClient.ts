import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { nonEmpty } from '../lib/config/envVariables';

/** One GraphQL error as the graph reports it. */
export interface GraphError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** The graph refused an operation: its errors, codes included. */
export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';

  constructor(readonly errors: readonly GraphError[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
  }

  get codes(): (string | undefined)[] {
    return this.errors.map((error) => error.extensions?.code);
  }
}

/** The graph could not be reached at all. */
export class GraphUnreachable extends Error {
  override readonly name = 'GraphUnreachable';
}

/** No token was given, and this tool may not sign one. */
export class GraphTokenMissing extends Error {
  override readonly name = 'GraphTokenMissing';
}

/** The graph, as the project's command-line tools call it: through the gateway, with a bearer token. */
export interface GraphClient {
  url: string;
  /** The operation's data; a GraphRequestError when the answer has errors. */
  request<TData>(query: string, variables?: Record<string, unknown>): Promise<TData>;
}

export function graphClient(url: string, token: string): GraphClient {
  return {
    url,
    async request<TData>(query: string, variables: Record<string, unknown> = {}): Promise<TData> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).catch((error: unknown) => {
        // fetch rejects with a TypeError whose cause names the network failure (ECONNREFUSED…).
        const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
        throw new GraphUnreachable(
          `Cannot reach the graph at ${url} (${reason}). Is it running? Start it with \`npm start\`; ` +
            'if it listens elsewhere, set PORT (as for npm start) or QC_GRAPHQL_URL.',
        );
      });
      if (!/json/.test(response.headers.get('content-type') ?? '')) {
        throw new GraphUnreachable(`${url} answered HTTP ${response.status} without a GraphQL response: is it the gateway?`);
      }
      const body = (await response.json()) as { data?: TData | null; errors?: GraphError[] };
      if (body.errors?.length) throw new GraphRequestError(body.errors);
      return body.data as TData;
    },
  };
}

/**
 * The graph of `npm start`, unless told otherwise: QC_GRAPHQL_URL, else http://localhost:$PORT/graphql (PORT
 * 4000 by default). The token is QC_TOKEN, else, outside production and while the development secret signs
 * tokens (JWT_SECRET unset), an admin token signed here, as `npm run -s token -- --role ADMIN` would.
 */
export async function graphClientFromEnv(env: NodeJS.ProcessEnv, sub: string): Promise<GraphClient> {
  const url = nonEmpty(env.QC_GRAPHQL_URL) ?? `http://localhost:${nonEmpty(env.PORT) ?? 4000}/graphql`;
  const token = nonEmpty(env.QC_TOKEN) ?? (await developmentAdminToken(env, sub));
  return graphClient(url, token);
}

async function developmentAdminToken(env: NodeJS.ProcessEnv, sub: string): Promise<string> {
  const config = env.NODE_ENV === 'production' ? undefined : authConfigFromEnv(env);
  if (config?.keySource.kind !== 'secret') {
    throw new GraphTokenMissing(
      'Set QC_TOKEN to a token of the graph (an admin one to load data): this tool signs one only for development.',
    );
  }
  return signToken({ role: 'ADMIN', sub }, config, { expiresIn: '1h' });
}
