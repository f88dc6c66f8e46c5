import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { request as httpRequest } from 'node:http';
import { currentRequestScope, elapsedMilliseconds, type RequestScope } from '../requestScope';
import { type RunningService, serveGraphQL, type ServeGraphQLOptions } from '../serveGraphQL';

interface TestContext {
  caller: string;
}

const typeDefs = /* GraphQL */ `
  type Query {
    whoAmI: String!
    slow: String!
  }
`;

let releaseSlow: () => void = () => {};
let slowStarted: () => void = () => {};

const resolvers = {
  Query: {
    whoAmI: (_: unknown, __: unknown, context: TestContext) => context.caller,
    slow: () =>
      new Promise<string>((resolve) => {
        releaseSlow = () => resolve('finished');
        slowStarted();
      }),
  },
};

const running: RunningService[] = [];

async function start(overrides: Partial<ServeGraphQLOptions<TestContext>> = {}): Promise<RunningService> {
  const service = await serveGraphQL<TestContext>({
    name: 'test-service',
    createServer: (plugins) => new ApolloServer<TestContext>({ typeDefs, resolvers, plugins }),
    context: async (request) => {
      if (request.headers.authorization === undefined) {
        throw new GraphQLError('Authentication required.', { extensions: { code: 'UNAUTHENTICATED' } });
      }
      return { caller: request.headers.authorization };
    },
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 1024,
    ...overrides,
  });
  running.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.close()));
});

function origin(service: RunningService): string {
  return new URL(service.url).origin;
}

function postJson(service: RunningService, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer alice', ...headers },
    body: JSON.stringify(body),
  });
}

/** Sends a body in chunks without a Content-Length, as a streaming client would. */
function postChunked(service: RunningService, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(service.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
  });
}

describe('serveGraphQL', () => {
  it('serves GraphQL over POST with a context built from the request', async () => {
    const service = await start();
    expect(service.url).toBe(`http://127.0.0.1:${service.port}/graphql`);
    const response = await postJson(service, { query: '{ whoAmI }' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { whoAmI: 'Bearer alice' } });
  });

  describe('health', () => {
    it('answers GET /health/ready and GET /health with 200 and the details while the service is ready', async () => {
      const service = await start({ readiness: async () => ({ ready: true, details: { mongo: 'ok' } }) });
      for (const path of ['/health/ready', '/health']) {
        const response = await fetch(`${origin(service)}${path}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ok', service: 'test-service', mongo: 'ok' });
      }
    });

    it('answers 503 with the part that is down while it is not ready, and stays live', async () => {
      const service = await start({ readiness: async () => ({ ready: false, details: { mongo: 'timeout' } }) });
      const ready = await fetch(`${origin(service)}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', service: 'test-service', mongo: 'timeout' });
      const live = await fetch(`${origin(service)}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok', service: 'test-service' });
    });

    it('answers 503 without the cause when the readiness check throws', async () => {
      const service = await start({
        readiness: async () => {
          throw new Error('connect ECONNREFUSED db.internal:27017');
        },
      });
      const response = await fetch(`${origin(service)}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', service: 'test-service' });
    });

    it('needs no token', async () => {
      const service = await start();
      for (const path of ['/health/live', '/health/ready', '/health']) {
        expect((await fetch(`${origin(service)}${path}`)).status).toBe(200);
      }
    });
  });

  describe('request body limit', () => {
    const oversizedQuery = { query: `{ whoAmI } # ${'x'.repeat(2048)}` };

    it('refuses a declared over-size body with a GraphQL-shaped 413', async () => {
      const service = await start();
      const response = await postJson(service, oversizedQuery);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The request body is larger than 1024 bytes.',
            extensions: { code: 'BAD_REQUEST', requestId: response.headers.get('x-request-id') },
          },
        ],
      });
    });

    it('refuses a streamed body as soon as it passes the limit', async () => {
      const service = await start();
      const { status, body } = await postChunked(service, ['{"query":"{ whoAmI }",', `"x":"${'x'.repeat(800)}`, `${'x'.repeat(800)}"}`]);
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    });

    it('accepts a body within the limit', async () => {
      const service = await start();
      expect((await postJson(service, { query: '{ whoAmI }' })).status).toBe(200);
    });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const service = await start();
    const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is not valid JSON.',
          extensions: { code: 'BAD_REQUEST', requestId: response.headers.get('x-request-id') },
        },
      ],
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a GET without a preflight header', async () => {
      const service = await start();
      const response = await fetch(`${service.url}?query=${encodeURIComponent('{ whoAmI }')}`, {
        headers: { authorization: 'Bearer alice' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ message: expect.stringContaining('Cross-Site Request Forgery') }] });
    });

    it('refuses a simple (text/plain) POST without a preflight header', async () => {
      const service = await start();
      const response = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: 'Bearer alice' },
        body: JSON.stringify({ query: '{ whoAmI }' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ message: expect.stringContaining('Cross-Site Request Forgery') }] });
    });

    it('serves a GET that carries the apollo-require-preflight header', async () => {
      const service = await start();
      const response = await fetch(`${service.url}?query=${encodeURIComponent('{ whoAmI }')}`, {
        headers: { authorization: 'Bearer alice', 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { whoAmI: 'Bearer alice' } });
    });
  });

  describe('batched operations', () => {
    const batchOf = (size: number) => Array.from({ length: size }, () => ({ query: '{ whoAmI }' }));

    async function startBatching(maxBatchSize: number): Promise<RunningService> {
      return start({
        maxBatchSize,
        createServer: (plugins) => new ApolloServer<TestContext>({ typeDefs, resolvers, plugins, allowBatchedHttpRequests: true }),
      });
    }

    it('serves a batch of at most maxBatchSize operations', async () => {
      const service = await startBatching(2);
      const response = await postJson(service, batchOf(2));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([{ data: { whoAmI: 'Bearer alice' } }, { data: { whoAmI: 'Bearer alice' } }]);
    });

    it('refuses a larger batch with 400 BATCH_TOO_LARGE, before running any of it', async () => {
      const service = await startBatching(2);
      const response = await postJson(service, batchOf(3));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The request batches 3 operations; at most 2 are allowed in one request.',
            extensions: { code: 'BATCH_TOO_LARGE', requestId: response.headers.get('x-request-id') },
          },
        ],
      });
    });
  });

  it('lets code reached from a request read its id and arrival time', async () => {
    let seen: RequestScope | undefined;
    const service = await start({
      context: async () => {
        seen = currentRequestScope();
        return { caller: 'anyone' };
      },
    });
    const response = await postJson(service, { query: '{ whoAmI }' }, { 'x-request-id': 'scope-7' });
    expect(response.status).toBe(200);
    expect(seen?.requestId).toBe('scope-7');
    expect(elapsedMilliseconds(seen as RequestScope)).toBeGreaterThan(0);
    expect(currentRequestScope()).toBeUndefined();
  });

  it('turns an UNAUTHENTICATED context error into a GraphQL-shaped 401', async () => {
    const service = await start();
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ whoAmI }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      errors: [{ message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('keeps an acceptable x-request-id and assigns one otherwise', async () => {
    const service = await start();
    const kept = await postJson(service, { query: '{ whoAmI }' }, { 'x-request-id': 'abc-123' });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await postJson(service, { query: '{ whoAmI }' }, { 'x-request-id': 'not acceptable\u00e9' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redirects / to the GraphQL path and answers 404 elsewhere', async () => {
    const service = await start();
    const root = await fetch(`${origin(service)}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
    const elsewhere = await fetch(`${origin(service)}/nowhere`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({
      errors: [{ extensions: { code: 'NOT_FOUND', requestId: elsewhere.headers.get('x-request-id') } }],
    });
  });

  it('lets an in-flight request finish on close, then refuses connections', async () => {
    const service = await start();
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const inFlight = postJson(service, { query: '{ slow }' });
    await started;

    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);

    releaseSlow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { slow: 'finished' } });
    await closing;
    await expect(fetch(`${origin(service)}/health`)).rejects.toThrow();
  });
});
