import http from 'node:http';
import { subgraphFetcher } from '../../gateway/subgraphFetcher';
import { CLIENT_IDLE_CONNECTION_MS, KEEP_ALIVE_MS } from '../../lib/http/serveGraphQL';
import { type TestGraph, startTestGraph } from '../support/testGraph';

/**
 * The finding: subgraphs closed an idle keep-alive connection after Node's default 5 s while the gateway kept it for
 * reuse without limit, so a call sent as the subgraph closed it was lost ("socket hang up"): a query was retried, a
 * mutation failed with the subgraph up. Now the gateway closes an idle connection first, long before a service does.
 */
describe('idle keep-alive connections between the gateway and the subgraphs', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  /** GET on one keep-alive connection at most; whether the request went out on a connection opened before. */
  const get = (agent: http.Agent, url: string) =>
    new Promise<boolean>((resolve, reject) => {
      const request = http.get(url, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(request.reusedSocket));
      });
      request.on('error', reject);
    });

  it('stay open on the subgraph side well past the default 5 seconds', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const live = new URL('/health/live', graph.subgraphUrls.tenancy).toString();
    expect(await get(agent, live)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await get(agent, live)).toBe(true);
    agent.destroy();
  }, 20_000);

  it('are closed by the gateway first', async () => {
    expect(CLIENT_IDLE_CONNECTION_MS).toBeLessThan(KEEP_ALIVE_MS);
    let connections = 0;
    const server = http.createServer((_, response) => response.end('{"data":{}}'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
    const client = subgraphFetcher('keep-alive', 4, 200);
    const call = async () => (await client.fetcher!(url, { method: 'POST', body: '{}' })).text();
    for (let calls = 0; calls < 4; calls += 1) await call();
    // Reused while in use (the pool may hold two for calls one after the other)...
    const opened = connections;
    expect(opened).toBeLessThanOrEqual(2);
    await call();
    expect(connections).toBe(opened);
    // ...and closed by the gateway once idle: the next call needs a new one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await call();
    expect(connections).toBe(opened + 1);
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
