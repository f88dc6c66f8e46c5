import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * Free TCP ports on loopback, for services a test starts as processes of their own (which need their port before
 * they start, and bind it seconds later). They are drawn at random below the kernel's ephemeral range: a server
 * anywhere on the machine that listens on port 0 (every test graph does) is given a port from that range, and could
 * take one of ours in those seconds; below it, only a fixed port could, and each one drawn is checked free. None of
 * them is a port that `fetch` refuses outright (the Fetch standard's "bad ports", the highest of which is 10080).
 * The ports are held together until all are known, so that they differ.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  try {
    while (held.length < count) {
      const server = await listenOn(randomPortBelowEphemeralRange());
      if (server) held.push(server);
    }
    return held.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

const DRAWN_PORTS = 10_000;

function randomPortBelowEphemeralRange(): number {
  const ephemeralStart = ephemeralRangeStart();
  return ephemeralStart - DRAWN_PORTS + Math.floor(Math.random() * DRAWN_PORTS);
}

/** Linux's net.ipv4.ip_local_port_range, else its default start (32768). */
function ephemeralRangeStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start >= 10_081 + DRAWN_PORTS ? start : 32_768;
  } catch {
    return 32_768;
  }
}

/** A server listening on `port`, or undefined when the port is taken. */
function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
