import { DryMongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';
import { startEmbeddedMongo } from '../../embedded-mongo';

export interface ResolvedMongo {
  uri: string;
  kind: 'external' | 'memory-server' | 'embedded';
  stop(): Promise<void>;
}

/**
 * The MongoDB that `npm start` and the tests use, best first:
 * 1. `MONGODB_URI`, when set: a server someone else runs (stopping it is not ours to do);
 * 2. a real `mongod` via mongodb-memory-server, only when a binary is already on this machine
 *    (`MONGOMS_SYSTEM_BINARY`, or one in its cache): nothing is ever downloaded. Its data lives in a
 *    temporary directory, so `snapshotPath` does not apply;
 * 3. the embedded server, which needs nothing; with `snapshotPath` its data survives restarts.
 */
export async function resolveMongo(options: { snapshotPath?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ResolvedMongo> {
  const env = options.env ?? process.env;
  if (env.MONGODB_URI) return { uri: env.MONGODB_URI, kind: 'external', stop: async () => {} };

  const mongodBinary = await locateMongodBinary(env);
  if (mongodBinary !== undefined) {
    // Handing over the located binary as the "system binary" rules out any download.
    const server = await MongoMemoryServer.create({ binary: { systemBinary: mongodBinary } });
    return {
      uri: server.getUri(),
      kind: 'memory-server',
      stop: async () => {
        await server.stop();
      },
    };
  }

  const embedded = await startEmbeddedMongo({ snapshotPath: options.snapshotPath });
  return { uri: embedded.uri, kind: 'embedded', stop: () => embedded.stop() };
}

/** Looks for a mongod binary without downloading one. */
async function locateMongodBinary(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions({ systemBinary: env.MONGOMS_SYSTEM_BINARY }));
}
