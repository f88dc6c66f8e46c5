import { calculateObjectSize, Long, type Document } from 'bson';
import { CommandError } from '../errors';

/** mongod's limits: a first batch holds 101 documents by default, and no batch exceeds 16 MiB. */
const DEFAULT_FIRST_BATCH_SIZE = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Cursors a client abandons without killCursors are reaped after mongod's 10-minute idle timeout. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** A command's result served in batches: the `documents` are computed when the command runs. */
interface OpenCursor {
  namespace: string;
  documents: Document[];
  position: number;
  /** Applied per batch, so documents a client never fetches are never projected. */
  present: (document: Document) => Document;
  lastUsedAt: number;
}

export interface CursorReplyOptions {
  batchSize?: number;
  singleBatch?: boolean;
  present?: (document: Document) => Document;
}

/** The open cursors of the server, shared by all connections like mongod's. */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private lastCursorId = 0;

  /** Builds the `{ cursor: { id, ns, firstBatch } }` reply, keeping the rest open for getMore. */
  open(namespace: string, documents: Document[], options: CursorReplyOptions = {}): Document {
    this.reapIdleCursors();
    const present = options.present ?? ((document: Document) => document);
    const cursor: OpenCursor = { namespace, documents, position: 0, present, lastUsedAt: Date.now() };
    const batch = takeBatch(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH_SIZE);
    let id = 0;
    if (cursor.position < documents.length && !options.singleBatch) {
      id = ++this.lastCursorId;
      this.cursors.set(id, cursor);
    }
    return cursorReply(id, namespace, 'firstBatch', batch);
  }

  getMore(id: number, namespace: string, batchSize: number | undefined): Document {
    const cursor = this.cursors.get(id);
    if (cursor === undefined) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.namespace !== namespace) {
      throw new CommandError(
        'BadValue',
        `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    cursor.lastUsedAt = Date.now();
    const batch = takeBatch(cursor, batchSize ?? Infinity);
    const exhausted = cursor.position >= cursor.documents.length;
    if (exhausted) this.cursors.delete(id);
    return cursorReply(exhausted ? 0 : id, namespace, 'nextBatch', batch);
  }

  /** Returns whether the cursor was open. */
  kill(id: number): boolean {
    return this.cursors.delete(id);
  }

  private reapIdleCursors(): void {
    const idleSince = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.cursors) {
      if (cursor.lastUsedAt < idleSince) this.cursors.delete(id);
    }
  }
}

function takeBatch(cursor: OpenCursor, batchSize: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (batch.length < batchSize && cursor.position < cursor.documents.length) {
    const document = cursor.present(cursor.documents[cursor.position] as Document);
    bytes += calculateObjectSize(document);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(document);
    cursor.position++;
  }
  return batch;
}

/** Cursor ids are int64 on the wire, whatever their magnitude. */
function cursorReply(id: number, namespace: string, batchName: 'firstBatch' | 'nextBatch', batch: Document[]): Document {
  return { cursor: { id: Long.fromNumber(id), ns: namespace, [batchName]: batch }, ok: 1 };
}
