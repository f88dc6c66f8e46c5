import type { Document } from 'bson';
import { MAX_MESSAGE_BYTES } from '../protocol/wireProtocol';
import type { CommandContext, CommandHandler } from './commandRegistry';

const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;

/** What drivers put in their connection handshake. Auth is not supported: credentials end in an unsupported `saslStart`. */
const HANDSHAKE_FIELDS = ['helloOk', 'client', 'compression', 'saslSupportedMechs', 'speculativeAuthenticate', 'backpressure'];

/**
 * Describes a standalone MongoDB 7.0 (wire version 21). It advertises no compression and no
 * `topologyVersion`, so drivers poll with plain `hello` instead of the streaming protocol. It does
 * advertise sessions, like a real standalone, so explicit sessions work; `lsid`s are accepted and ignored.
 */
function describeServer(context: CommandContext, writablePrimaryField: 'isWritablePrimary' | 'ismaster'): Document {
  return {
    helloOk: true,
    [writablePrimaryField]: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

export const hello: CommandHandler = {
  fields: HANDSHAKE_FIELDS,
  run: (_command, context) => describeServer(context, 'isWritablePrimary'),
};

/** The legacy name of `hello`, which drivers still use for their first handshake. */
export const isMaster: CommandHandler = {
  fields: HANDSHAKE_FIELDS,
  run: (_command, context) => describeServer(context, 'ismaster'),
};

export const ping: CommandHandler = { fields: [], run: () => ({ ok: 1 }) };

export const buildInfo: CommandHandler = {
  fields: [],
  run: () => ({
    version: '7.0.0',
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    storageEngines: ['embedded'],
    modules: [],
    ok: 1,
  }),
};

/** Sessions hold no server state here, so ending them is a no-op. */
export const endSessions: CommandHandler = { fields: [], run: () => ({ ok: 1 }) };
