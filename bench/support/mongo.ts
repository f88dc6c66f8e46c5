import path from 'node:path';
import { MongoClient } from 'mongodb';
import { type Child, startChild } from './processes';

/** The MongoDB a run uses: the embedded server in a process of its own, or a real server given by MONGODB_URI. */
export interface BenchMongo {
  /** The server's URI, naming no database. */
  uri: string;
  /** What the report says of it (never the URI, which may hold credentials). */
  describe: string;
  /** The embedded server's process, measured like the others; none for a real server. */
  child?: Child;
  /** A real server's CPU time so far in ms (serverStatus), undefined when it does not say. */
  cpuMs?: () => Promise<number | undefined>;
}

/** As `npm start` runs it: a young generation large enough that a request's garbage dies young. */
const EMBEDDED_MONGO_NODE_FLAGS = '--max-semi-space-size=32';

/** The embedded server, or the server at `externalUri` when given (its databases named `bench*` are dropped and seeded). */
export async function startBenchMongo(
  externalUri: string | undefined,
  options: { root: string; logDir: string; env: NodeJS.ProcessEnv },
): Promise<BenchMongo> {
  if (externalUri) {
    const client = new MongoClient(externalUri);
    await client.connect();
    const info = (await client.db('admin').command({ buildInfo: 1 })) as { version?: string };
    const cpuMs = async () => {
      try {
        const status = (await client.db('admin').command({ serverStatus: 1 })) as {
          extra_info?: { user_time_us?: number; system_time_us?: number };
        };
        const { user_time_us: user, system_time_us: system } = status.extra_info ?? {};
        return user === undefined || system === undefined ? undefined : (user + system) / 1000;
      } catch {
        // Not allowed to this user, or not reported by this server.
        return undefined;
      }
    };
    const measurable = (await cpuMs()) !== undefined;
    return {
      uri: externalUri,
      describe: `a MongoDB server given by MONGODB_URI (version ${info.version ?? 'unknown'}); its CPU ${
        measurable ? 'from serverStatus (extra_info user and system time)' : 'not measured (serverStatus gives no CPU time here)'
      }`,
      cpuMs,
    };
  }
  const child = startChild(
    'mongo',
    process.execPath,
    [EMBEDDED_MONGO_NODE_FLAGS, '--import', 'tsx', path.join(options.root, 'embedded-mongo/cli.ts'), '--port', '0', '--host', '127.0.0.1'],
    { cwd: options.root, env: options.env, logDir: options.logDir },
  );
  return {
    uri: await child.firstLine,
    describe: 'the embedded MongoDB-compatible server (embedded-mongo), in a process of its own',
    child,
  };
}
