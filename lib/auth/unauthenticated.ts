import { GraphQLError } from 'graphql';

/** The contract's UNAUTHENTICATED error; `message` is shown to the caller, so it must not reveal internals. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
