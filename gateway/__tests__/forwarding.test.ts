import { startGatewayUnderTest, type GatewayUnderTest } from './gatewayTestSetup';

let setup: GatewayUnderTest;

beforeAll(async () => {
  setup = await startGatewayUnderTest();
});

afterAll(() => setup.close());

function query(headers: Record<string, string>): Promise<Response> {
  return fetch(setup.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ receivedHeaders { authorization requestId } }' }),
  });
}

describe('gateway to subgraph', () => {
  it("forwards the client's Authorization header and request id to the subgraph", async () => {
    const authorization = `Bearer ${await setup.token()}`;
    const response = await query({ authorization, 'x-request-id': 'trace-42' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { receivedHeaders: { authorization, requestId: 'trace-42' } } });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
  });

  it('gives the subgraph the request id it assigned when the client sent none', async () => {
    const response = await query({ authorization: `Bearer ${await setup.token()}` });
    const body = (await response.json()) as { data: { receivedHeaders: { requestId: string } } };
    expect(body.data.receivedHeaders.requestId).toBe(response.headers.get('x-request-id'));
  });

  it.each([
    ['no token', {}],
    ['a token that does not verify', { authorization: 'Bearer not.a.jwt' }],
  ])('answers UNAUTHENTICATED with 401 to %s, without calling the subgraph', async (_, headers: Record<string, string>) => {
    const before = setup.subgraph.requestCount();
    const response = await query(headers);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(setup.subgraph.requestCount()).toBe(before);
  });

  it('answers /health (its readiness: every subgraph ready) and /health/live without a token', async () => {
    const response = await fetch(new URL('/health', setup.gateway.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'gateway', subgraphs: { echo: 'ok' } });
    const live = await fetch(new URL('/health/live', setup.gateway.url));
    expect(await live.json()).toEqual({ status: 'ok', service: 'gateway' });
  });
});
