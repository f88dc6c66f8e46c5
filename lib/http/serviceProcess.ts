import pino, { type DestinationStream, type Logger } from 'pino';
import { nonEmpty } from '../config/envVariables';
import { traceIdsOfActiveSpan } from '../telemetry/logCorrelation';

// A service (the gateway or a subgraph) as a process: its port and logger, and how it ends: on Ctrl-C, on SIGTERM,
// or with the launcher that started it.

/**
 * Node's flags for a service process (the gateway, a subgraph): semi-spaces of 64 MiB for the young generation, not
 * V8's 16. A request's objects (its plan's fetches, the subgraphs' answers, the merged result) live for the request's
 * tens of milliseconds; under twenty dashboards at once they outgrew the default young generation, were promoted,
 * and left to the old generation's collector: garbage collection took about a quarter of the gateway's busy time.
 * `npm start` and the benchmark pass them; the Dockerfile sets the same through NODE_OPTIONS.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** A TCP port from an environment variable, or `fallback` when it is unset; anything else is a startup error. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, not "${value}".`);
  }
  if (FETCH_BAD_PORTS.has(port)) {
    throw new Error(
      `${name}=${port} is a port that browsers and fetch refuse to reach (the Fetch standard's "bad ports"); choose another.`,
    );
  }
  return port;
}

/**
 * The ports that browsers, and Node's fetch, refuse to connect to (https://fetch.spec.whatwg.org/#bad-port): a
 * service there would start, and then neither the web app nor our own health checks could reach it.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * One JSON logger per service; quiet under jest unless LOG_LEVEL asks otherwise. A line written while a traced
 * request is handled carries its `trace_id` and `span_id`, beside the request id the line names. Lines go to
 * stdout, or to `destination` (the tests read them there).
 */
export function serviceLogger(service: string, destination?: DestinationStream): Logger {
  const defaultLevel = process.env.NODE_ENV === 'test' && !destination ? 'silent' : 'info';
  const options = { name: service, level: process.env.LOG_LEVEL ?? defaultLevel, mixin: traceIdsOfActiveSpan };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * `npm start` runs each service with an IPC channel to the launcher (and a gateway worker has one to its primary).
 * The channel closes when the launcher ends, however it ends (`kill -9` included), and the service must then end
 * too: an orphan would keep its port (the next `npm start` failing on EADDRINUSE) and answer without the database
 * the launcher held. A service started any other way (docker, a process manager, the tests) has no such channel,
 * and none of this applies.
 */
let whenLauncherGone: () => void = () => process.exit(1);
let watching = false;

/** First thing in a service's entry: from then on, the launcher going away ends this process (at once, until `onLauncherGone`). */
export function exitWithLauncher(): void {
  if (watching || !process.connected) return;
  watching = true;
  process.once('disconnect', () => whenLauncherGone());
}

/** Once the service serves: the launcher going away runs `close`, which must end the process, instead of exiting at once. */
export function onLauncherGone(close: () => void): void {
  whenLauncherGone = close;
}

// Without its launcher, a service that cannot close in this time exits anyway: lingering is the failure to avoid
// (and closing may wait on a database that went with the launcher).
const ORPHAN_EXIT_MS = 5_000;

/**
 * Ctrl-C, SIGTERM, or the launcher going away (see exitWithLauncher) closes the service gracefully, then exits 0
 * (1 if closing failed). Signals arriving while it closes are ignored: a terminal delivers Ctrl-C to the launcher
 * and to every child at once, and the launcher forwards it again; neither should cut the drain short (the drain
 * has its own time limit).
 */
export function closeOnTerminationSignals(service: { name: string; close(): Promise<void> }, logger: Logger): void {
  let closing = false;
  const close = (reason: { signal: NodeJS.Signals } | { launcher: 'gone' }) => {
    if (closing) return;
    closing = true;
    logger.info(reason, `closing ${service.name}`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${service.name} did not close cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', (signal) => close({ signal }));
  process.on('SIGTERM', (signal) => close({ signal }));
  onLauncherGone(() => {
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    close({ launcher: 'gone' });
  });
}
