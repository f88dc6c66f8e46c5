import { GraphQLError } from 'graphql';

/** Asserts the contract's UNAUTHENTICATED error with a message matching `message`. */
export async function expectUnauthenticated(attempt: Promise<unknown>, message: RegExp): Promise<void> {
  const error: unknown = await attempt.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  expect((error as GraphQLError).message).toMatch(message);
}
