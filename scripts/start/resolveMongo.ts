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
 *    temporary directory, so `dataDirectory` does not apply;
 * 3. the embedded server, which needs nothing; with `dataDirectory` its data survives restarts and crashes
 *    (checkpoint and journal there, the folder locked against a second server), and a journal longer than
 *    `QC_CHECKPOINT_JOURNAL_BYTES` is folded into a new checkpoint.
 */
export async function resolveMongo(
  options: { dataDirectory?: string; env?: NodeJS.ProcessEnv; notice?: (message: string) => void } = {},
): Promise<ResolvedMongo> {
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

  const embedded = await startEmbeddedMongo({
    dataDirectory: options.dataDirectory,
    checkpointJournalBytes: optionalByteCount(env, 'QC_CHECKPOINT_JOURNAL_BYTES'),
    notice: options.notice,
  });
  return { uri: embedded.uri, kind: 'embedded', stop: () => embedded.stop() };
}

/** Looks for a mongod binary without downloading one. */
async function locateMongodBinary(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions({ systemBinary: env.MONGOMS_SYSTEM_BINARY }));
}

function optionalByteCount(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive number of bytes, got '${text}'`);
  return value;
}
