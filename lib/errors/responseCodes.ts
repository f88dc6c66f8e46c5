import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';

// What a response said went wrong, as logs and metrics record it: error codes only, never messages.

/** The codes of a response's errors, `INTERNAL_SERVER_ERROR` for an error without one. */
export function errorCodesOf(body: GraphQLResponse['body']): string[] {
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  return (errors ?? []).map((error) => codeOf(error.extensions));
}

export function codeOf(extensions: Readonly<Record<string, unknown>> | undefined): string {
  const code = extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** A request refused before any operation ran (no valid token, malformed request): its HTTP status and code. */
export function refusalOf(error: Error, defaultStatus: number): { status: number; errorCodes: string[] } {
  const extensions = (error as Partial<GraphQLError>).extensions;
  const status = (extensions?.http as { status?: unknown } | undefined)?.status;
  return {
    status: typeof status === 'number' ? status : defaultStatus,
    errorCodes: [codeOf(extensions)],
  };
}
