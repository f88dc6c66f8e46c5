import { deserialize, serialize, type Document } from 'bson';

/**
 * MongoDB wire protocol framing: requests arrive as OP_MSG, except the driver's first handshake
 * which uses the legacy OP_QUERY and expects an OP_REPLY.
 * Layout reference: https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
 */
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

const HEADER_BYTES = 16;
/** What this server announces as `maxMessageSizeBytes` in its hello reply. */
export const MAX_MESSAGE_BYTES = 48_000_000;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
/**
 * The low 16 flag bits are "required": a receiver must reject bits it does not know. The optional
 * exhaustAllowed bit is ignored: this server always answers one reply per request.
 */
const KNOWN_REQUIRED_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME;

const SECTION_BODY = 0;
const SECTION_DOCUMENT_SEQUENCE = 1;

/** A client message that breaks the protocol; the connection cannot continue. */
class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export interface CommandRequest {
  requestId: number;
  /** The legacy handshake (OP_QUERY) must be answered with OP_REPLY. */
  isLegacy: boolean;
  databaseName: string;
  /** The command document, with OP_MSG document sequences (e.g. `documents` of an insert) folded in. */
  command: Document;
  /** Set on unacknowledged writes: the client expects no reply. */
  moreToCome: boolean;
}

/**
 * Splits a TCP byte stream into whole messages, which may arrive split or batched across chunks.
 * Chunks are joined once per complete message: a large insert arrives in hundreds of chunks, and
 * joining on every chunk would copy it hundreds of times.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    const messages: Buffer[] = [];
    while (this.bufferedBytes >= 4) {
      const head = (this.chunks[0] as Buffer).length >= 4 ? (this.chunks[0] as Buffer) : this.joinChunks();
      const length = head.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) throw new ProtocolError(`invalid message length ${length}`);
      if (this.bufferedBytes < length) break;
      const buffered = this.joinChunks();
      messages.push(buffered.subarray(0, length));
      const rest = buffered.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
    }
    return messages;
  }

  private joinChunks(): Buffer {
    const joined = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [joined];
    return joined;
  }
}

export function decodeRequest(message: Buffer): CommandRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  switch (opCode) {
    case OP_MSG:
      return decodeOpMsg(message, requestId);
    case OP_QUERY:
      return decodeOpQuery(message, requestId);
    default:
      throw new ProtocolError(`unsupported opCode ${opCode}`);
  }
}

function decodeOpMsg(message: Buffer, requestId: number): CommandRequest {
  const flags = message.readUInt32LE(HEADER_BYTES);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0) throw new ProtocolError(`unknown required OP_MSG flags ${flags}`);
  // A trailing CRC-32C is skipped, not verified: TCP already protects this connection's bytes.
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences: Document = {};
  while (offset < end) {
    const kind = message.readUInt8(offset++);
    if (kind === SECTION_BODY) {
      if (body !== undefined) throw new ProtocolError('OP_MSG has more than one body section');
      const size = message.readInt32LE(offset);
      body = deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === SECTION_DOCUMENT_SEQUENCE) {
      const size = message.readInt32LE(offset);
      const sequenceEnd = offset + size;
      const identifierEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString('utf8', offset + 4, identifierEnd);
      sequences[identifier] = readDocuments(message, identifierEnd + 1, sequenceEnd);
      offset = sequenceEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (body === undefined) throw new ProtocolError('OP_MSG has no body section');
  for (const identifier of Object.keys(sequences)) {
    if (identifier in body) throw new ProtocolError(`OP_MSG field '${identifier}' is both in the body and a document sequence`);
  }
  const databaseName = body.$db;
  if (typeof databaseName !== 'string') throw new ProtocolError('OP_MSG command has no $db');
  return { requestId, isLegacy: false, databaseName, command: { ...body, ...sequences }, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function decodeOpQuery(message: Buffer, requestId: number): CommandRequest {
  const namespaceStart = HEADER_BYTES + 4;
  const namespaceEnd = message.indexOf(0, namespaceStart);
  const namespace = message.toString('utf8', namespaceStart, namespaceEnd);
  if (!namespace.endsWith('.$cmd')) throw new ProtocolError('OP_QUERY is only accepted for commands (<db>.$cmd)');
  // Skip numberToSkip and numberToReturn: a command returns one reply document.
  const [command] = readDocuments(message, namespaceEnd + 1 + 8, message.length);
  if (command === undefined) throw new ProtocolError('OP_QUERY has no query document');
  return { requestId, isLegacy: true, databaseName: namespace.slice(0, -'.$cmd'.length), command, moreToCome: false };
}

/** Reads consecutive BSON documents; OP_QUERY may append a (here ignored) field selector. */
function readDocuments(message: Buffer, start: number, end: number): Document[] {
  const documents: Document[] = [];
  for (let offset = start; offset < end;) {
    const size = message.readInt32LE(offset);
    documents.push(deserialize(message.subarray(offset, offset + size)));
    offset += size;
  }
  return documents;
}

let lastResponseId = 0;

export function encodeReply(request: CommandRequest, reply: Document): Buffer {
  const body = serialize(reply);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32LE(++lastResponseId, 4);
  header.writeInt32LE(request.requestId, 8);
  let prefix: Buffer;
  if (request.isLegacy) {
    header.writeInt32LE(OP_REPLY, 12);
    // responseFlags, cursorID (int64), startingFrom, numberReturned = 1.
    prefix = Buffer.alloc(20);
    prefix.writeInt32LE(1, 16);
  } else {
    header.writeInt32LE(OP_MSG, 12);
    // flagBits = 0, then one body section.
    prefix = Buffer.from([0, 0, 0, 0, SECTION_BODY]);
  }
  header.writeInt32LE(HEADER_BYTES + prefix.length + body.length, 0);
  return Buffer.concat([header, prefix, body]);
}
