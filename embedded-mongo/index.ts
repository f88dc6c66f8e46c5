import { executeCommand } from './commands/commandDispatcher';
import { DurableStorage } from './durability/durableStorage';
import { CommandError } from './errors';
import type { Evaluation } from './evaluation';
import { WireServer } from './protocol/wireServer';
import { CursorRegistry } from './query/cursorRegistry';
import { Catalog } from './storage/catalog';

export interface EmbeddedMongo {
  /** A connection string the official driver accepts as-is: `new MongoClient(uri)`. */
  uri: string;
  port: number;
  /** Closes all connections and, with a data folder, waits for the journal and releases the folder's lock. */
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /**
   * The data folder: a checkpoint and a write-ahead journal (see durability/), locked against a second server.
   * Every write is durable before it is acknowledged. In memory only without it.
   */
  dataDirectory?: string;
  /** Journal size beyond which a checkpoint is written; 64 MiB by default. */
  checkpointJournalBytes?: number;
  /** Where recoveries and lock takeovers are reported; `process.emitWarning` by default. */
  notice?: (message: string) => void;
  /** `native` by default; `mingo` only to measure or rule out the native paths (see evaluation.ts). */
  evaluation?: Evaluation;
}

/** Starts an in-process server speaking the MongoDB wire protocol (see README.md for what it supports). */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { port = 0, host = '127.0.0.1', dataDirectory, evaluation } = options;
  const catalog = new Catalog(evaluation);
  const storage =
    dataDirectory === undefined
      ? undefined
      : await DurableStorage.open(dataDirectory, catalog, {
          checkpointJournalBytes: options.checkpointJournalBytes,
          notice: options.notice,
        });

  const cursors = new CursorRegistry();
  const server = new WireServer(({ command, databaseName }, connectionId) => {
    // Once the journal has failed, memory may hold writes the disk does not: serve nothing from it.
    if (storage?.failure) return journalFailure(storage.failure).toReply();
    const reply = executeCommand(command, { catalog, cursors, databaseName, connectionId });
    const durable = storage?.whenDurable();
    return durable === undefined
      ? reply
      : durable.then(
          () => reply,
          (error: unknown) => journalFailure(error).toReply(),
        );
  });
  let boundPort: number;
  try {
    boundPort = await server.listen(host, port);
  } catch (error) {
    await storage?.close();
    throw error;
  }
  const uriHost = host.includes(':') ? `[${host}]` : host;
  return {
    // directConnection: talk to this one server rather than discovering a replica set.
    uri: `mongodb://${uriHost}:${boundPort}/?directConnection=true`,
    port: boundPort,
    async stop() {
      await server.close();
      await storage?.close();
    },
  };
}

function journalFailure(error: unknown): CommandError {
  const message = error instanceof Error ? error.message : String(error);
  return new CommandError(
    'InternalError',
    `${message}. The embedded server serves nothing more until it is restarted, which recovers from the journal.`,
  );
}
