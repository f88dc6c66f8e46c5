import { GraphQLError } from 'graphql';
import { classifySubgraphFault, faultError } from '../subgraphFault';

function httpError(status: number): GraphQLError {
  return new GraphQLError(`${status}: status text`, { extensions: { response: { status, url: 'http://subgraph.internal/graphql' } } });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`request to http://subgraph.internal/graphql failed, reason: connect ${code}`), { type: 'system', code });
}

describe('classifySubgraphFault', () => {
  it.each([
    ['a time-out', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), 'timeout', false, true],
    ['a refused connection', systemError('ECONNREFUSED'), 'unavailable', true, true],
    ['a reset connection', systemError('ECONNRESET'), 'unavailable', true, true],
    ['a 503', httpError(503), 'unavailable', true, true],
    ['a 500', httpError(500), 'server-error', false, true],
    ['a 400', httpError(400), 'refused', false, false],
    ['a body that is not JSON', new Error('Expected JSON response body, but received: <html>'), 'refused', false, false],
  ])('classifies %s', (_, error, kind, transient, breakerFailure) => {
    expect(classifySubgraphFault(error)).toEqual({ kind, transient, breakerFailure });
  });
});

describe('faultError', () => {
  it('names the subgraph and the time limit, and nothing of the connection', () => {
    expect(faultError('housing', classifySubgraphFault(systemError('ECONNREFUSED')), systemError('ECONNREFUSED'), 10_000)).toEqual({
      message: 'The housing service is unavailable; try again shortly.',
      code: 'SUBGRAPH_UNAVAILABLE',
    });
    const timeout = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(faultError('housing', classifySubgraphFault(timeout), timeout, 10_000)).toEqual({
      message: 'The housing service did not answer within 10000 ms.',
      code: 'SUBGRAPH_TIMEOUT',
    });
  });

  it('keeps the code of a subgraph that answered 401, and defaults others to INTERNAL_SERVER_ERROR', () => {
    const unauthorised = new GraphQLError('401: Unauthorized', { extensions: { code: 'UNAUTHENTICATED', response: { status: 401 } } });
    expect(faultError('housing', classifySubgraphFault(unauthorised), unauthorised, 1).code).toBe('UNAUTHENTICATED');
    expect(faultError('housing', classifySubgraphFault(httpError(500)), httpError(500), 1).code).toBe('INTERNAL_SERVER_ERROR');
  });
});
