import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { readSignature, SUBGRAPH_SIGNATURE_HEADER, subgraphSigningFromEnv, verifySignedRequest } from '../../lib/auth/subgraphSignature';
import { ForwardingDataSource } from '../forwardingDataSource';
import { gatewayMetrics } from '../plugins/telemetry';
import { subgraphFetcher, timeLimitedFetcher, type SubgraphFetcher } from '../subgraphFetcher';

/** A plain HTTP server answering `{}` and counting the TCP connections it accepted. */
async function countingServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((_, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"data":{}}');
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const policy = { timeoutMs: 1_000, retries: 0, retryDelayMs: 0, breakerFailures: 5, breakerCoolDownMs: 1_000 };
const signing = subgraphSigningFromEnv({ NODE_ENV: 'test' });

describe('subgraphFetcher', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  let client: SubgraphFetcher | undefined;

  beforeEach(async () => {
    server = await countingServer();
  });

  afterEach(async () => {
    client?.destroy();
    await server.close();
  });

  async function fetchSequentially(times: number): Promise<void> {
    for (let call = 0; call < times; call += 1) {
      const response = await client!.fetcher!(server.url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(await response.json()).toEqual({ data: {} });
    }
  }

  it('keep-alive: consecutive calls reuse their connections', async () => {
    client = subgraphFetcher('keep-alive', 8);
    await fetchSequentially(6);
    // undici's pool may open a second connection while the first is still being handed back; never one per call.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('answers as fetch does: status, headers, a body read once, a clone read apart', async () => {
    client = subgraphFetcher('keep-alive', 8);
    const response = await client.fetcher!(server.url, { method: 'POST', body: '{}' });
    expect([response.status, response.ok, response.statusText, response.url]).toEqual([200, true, 'OK', server.url]);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    const copy = response.clone();
    expect(await response.json()).toEqual({ data: {} });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await copy.text()).toBe('{"data":{}}');
  });

  it('keep-alive: concurrent calls open at most maxSockets connections', async () => {
    client = subgraphFetcher('keep-alive', 2);
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => client!.fetcher!(server.url, { method: 'POST', body: '{}' }).then((r) => r.text())));
    expect(server.connections()).toBe(2);
  });

  it('no-keep-alive: one connection per call', async () => {
    client = subgraphFetcher('no-keep-alive', 8);
    await fetchSequentially(3);
    expect(server.connections()).toBe(3);
  });

  it('gives up on a subgraph that sends its headers and then hangs in the body, within the time limit', async () => {
    const hanging = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":');
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    client = subgraphFetcher('keep-alive', 8);
    const limited = timeLimitedFetcher(client.fetcher!, 200);
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`;
      await expect(limited(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('apollo: leaves the data source its own fetcher', () => {
    client = subgraphFetcher('apollo', 8);
    expect(client.fetcher).toBeUndefined();
  });

  it('is the fetcher the data source calls subgraphs with (behind its time limit, signed)', async () => {
    client = subgraphFetcher('keep-alive', 8);
    const seen: string[] = [];
    const fetcher = client.fetcher!;
    const dataSource = new ForwardingDataSource({
      name: 'echo',
      url: server.url,
      policy,
      logger: pino({ level: 'silent' }),
      metrics: gatewayMetrics(new Registry()),
      signing,
      mergeEntityFetches: false,
      fetcher: (url, init) => {
        seen.push(url);
        expect(init?.signal).toBeDefined();
        // Signed over the very body and credentials sent: a subgraph verifies them before parsing anything.
        const signature = readSignature(init?.headers?.[SUBGRAPH_SIGNATURE_HEADER]);
        const sent = { body: Buffer.from(String(init?.body)), authorization: init?.headers?.authorization };
        expect(() => verifySignedRequest(signing, signature, sent)).not.toThrow();
        return fetcher(url, init);
      },
    });
    await dataSource.fetcher(server.url, {
      method: 'POST',
      body: '{"query":"{ __typename }"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seen).toEqual([server.url]);
  });
});
