import type { Document } from 'bson';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { asCommandError } from '../errors';
import { decodeRequest, encodeReply, MessageFramer, type CommandRequest } from './wireProtocol';

/**
 * Runs one command to completion, synchronously, and returns its reply document, or a promise of it when the
 * reply must wait (a write is acknowledged only once it is durable).
 */
export type CommandExecutor = (request: CommandRequest, connectionId: number) => Document | Promise<Document>;

/**
 * The TCP side of the server. Each message is decoded and executed synchronously as it arrives,
 * so commands from different connections never interleave: every command is atomic. Replies on one
 * connection go out in the order of its requests, even when an earlier one waits for durability.
 */
export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private lastConnectionId = 0;

  constructor(private readonly execute: CommandExecutor) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Resolves with the bound port (useful when asked for port 0). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private accept(socket: Socket): void {
    const connectionId = ++this.lastConnectionId;
    const framer = new MessageFramer();
    // The reply still being waited for on this connection, if any: later replies queue behind it.
    let pendingReply: Promise<void> | undefined;
    const send = (request: CommandRequest, reply: Document | Promise<Document>): void => {
      if (!(reply instanceof Promise) && pendingReply === undefined) {
        this.sendReply(socket, request, reply);
        return;
      }
      const sent: Promise<void> = Promise.all([pendingReply, reply]).then(([, document]) => {
        if (!socket.destroyed) this.sendReply(socket, request, document);
        if (pendingReply === sent) pendingReply = undefined;
      });
      pendingReply = sent;
    };
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    // A client that vanishes mid-write is its own problem; the server just forgets the socket.
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) {
          const request = decodeRequest(message);
          const reply = this.execute(request, connectionId);
          if (request.moreToCome) {
            // An unacknowledged write: nobody waits for its reply, nor for its failure.
            if (reply instanceof Promise) reply.catch(() => undefined);
          } else {
            send(request, reply);
          }
        }
      } catch {
        // An undecodable message leaves the byte stream unusable: drop the connection, as mongod does.
        socket.destroy();
      }
    });
  }

  private sendReply(socket: Socket, request: CommandRequest, reply: Document): void {
    let encoded: Buffer;
    try {
      encoded = encodeReply(request, reply);
    } catch (error) {
      // E.g. a reply over the BSON size limit: tell the client instead of dropping the connection.
      encoded = encodeReply(request, asCommandError(error).toReply());
    }
    socket.write(encoded);
  }
}
