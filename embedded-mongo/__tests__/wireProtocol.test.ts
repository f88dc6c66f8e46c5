import { deserialize, serialize, type Document } from 'bson';
import { connect, type Socket } from 'node:net';
import { startEmbeddedMongo, type EmbeddedMongo } from '../index';
import { MessageFramer } from '../protocol/wireProtocol';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 1 << 1;

/** Raw wire-protocol exchanges, for what the driver does not easily show: framing, OP_QUERY, moreToCome. */
let server: EmbeddedMongo;
let socket: Socket;
let replies: Buffer[];

beforeAll(async () => {
  server = await startEmbeddedMongo();
});
afterAll(() => server.stop());

beforeEach(async () => {
  replies = [];
  const framer = new MessageFramer();
  socket = connect(server.port, '127.0.0.1');
  socket.on('data', (chunk) => replies.push(...framer.push(chunk)));
  await new Promise((resolve) => socket.once('connect', resolve));
});
afterEach(() => socket.destroy());

function header(length: number, requestId: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(requestId, 4);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

function opMsg(requestId: number, command: Document, flags = 0): Buffer {
  const body = Buffer.from(serialize(command));
  const flagBits = Buffer.alloc(4);
  flagBits.writeUInt32LE(flags);
  return Buffer.concat([header(16 + 4 + 1 + body.length, requestId, OP_MSG), flagBits, Buffer.from([0]), body]);
}

function opQuery(requestId: number, namespace: string, query: Document): Buffer {
  const body = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(`${namespace}\0`),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from(serialize(query)),
  ]);
  return Buffer.concat([header(16 + body.length, requestId, OP_QUERY), body]);
}

async function waitForReplies(count: number): Promise<Buffer[]> {
  for (let waited = 0; replies.length < count && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  return replies;
}

describe('MessageFramer', () => {
  it('reassembles messages split across chunks and splits messages sharing a chunk', () => {
    const framer = new MessageFramer();
    const stream = Buffer.concat([opMsg(1, { ping: 1, $db: 'admin' }), opMsg(2, { ping: 1, $db: 'admin' })]);

    const messages = [...stream].flatMap((byte) => framer.push(Buffer.from([byte])));

    expect(messages.map((message) => message.readInt32LE(4))).toEqual([1, 2]);
    expect(Buffer.concat(messages)).toEqual(stream);
  });
});

describe('the wire server', () => {
  it('answers the legacy OP_QUERY handshake with an OP_REPLY', async () => {
    socket.write(opQuery(7, 'admin.$cmd', { isMaster: 1, helloOk: true }));

    const [reply] = await waitForReplies(1);

    expect(reply?.readInt32LE(8)).toBe(7);
    expect(reply?.readInt32LE(12)).toBe(OP_REPLY);
    expect(reply?.readInt32LE(32)).toBe(1);
    expect(deserialize((reply as Buffer).subarray(36))).toMatchObject({ ismaster: true, helloOk: true, ok: 1 });
  });

  it('applies an unacknowledged (moreToCome) write without replying to it', async () => {
    socket.write(opMsg(1, { insert: 'raw', documents: [{ _id: 1 }], $db: 'wire' }, MORE_TO_COME));
    socket.write(opMsg(2, { find: 'raw', filter: {}, $db: 'wire' }));

    const received = await waitForReplies(1);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(received).toHaveLength(1);
    expect(received[0]?.readInt32LE(8)).toBe(2);
    expect((deserialize((received[0] as Buffer).subarray(21)) as { cursor: { firstBatch: unknown } }).cursor.firstBatch).toEqual([
      { _id: 1 },
    ]);
  });

  it('drops a connection that sends an unknown opcode', async () => {
    const closed = new Promise((resolve) => socket.once('close', resolve));

    socket.write(header(16, 1, 2002));

    await expect(closed).resolves.toBeDefined();
  });
});
