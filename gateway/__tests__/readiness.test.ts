import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { subgraphsReadiness } from '../readiness';

/** Stand-ins for subgraphs' health endpoints, each on its own loopback port. */
const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function subgraphAnswering(answer: 'ready' | 'database down' | 'never'): Promise<string> {
  const server = createServer((request, response) => {
    if (answer === 'never') return;
    const ready = answer === 'ready' && request.url === '/health/ready';
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ready ? 'ok' : 'unavailable', mongo: ready ? 'ok' : 'timeout' }));
  });
  server.on('connection', (socket) => sockets.add(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

describe('the gateway readiness', () => {
  it('is ready when every subgraph answers its /health/ready with 200', async () => {
    const endpoints = new Map([
      ['housing', await subgraphAnswering('ready')],
      ['tenancy', await subgraphAnswering('ready')],
    ]);
    await expect(subgraphsReadiness(() => endpoints)()).resolves.toEqual({
      ready: true,
      details: { subgraphs: { housing: 'ok', tenancy: 'ok' } },
    });
  });

  it('says which subgraph is down, which hangs, and which has lost its database', async () => {
    const endpoints = new Map([
      ['housing', await subgraphAnswering('ready')],
      ['tenancy', await subgraphAnswering('never')],
      ['actions', await closedPort()],
      ['partners', await subgraphAnswering('database down')],
    ]);
    await expect(subgraphsReadiness(() => endpoints)()).resolves.toEqual({
      ready: false,
      details: { subgraphs: { housing: 'ok', tenancy: 'timeout', actions: 'unreachable', partners: 'database-unavailable' } },
    });
  }, 20_000);

  it('is not ready before it knows any subgraph', async () => {
    await expect(subgraphsReadiness(() => new Map())()).resolves.toEqual({ ready: false, details: { subgraphs: {} } });
  });
});
