import { createServer, type Server } from 'node:net';

/**
 * Free TCP ports on loopback, for services a test starts as processes of their own (which need their port before
 * they start). They come from the kernel's ephemeral range (32768 and up on Linux), which no fixed port of ours uses
 * and which holds none of the ports that `fetch` refuses outright as "bad ports" (e.g. 5060 and 5061, SIP's). The
 * ports are held together until all are known, so that they differ.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
