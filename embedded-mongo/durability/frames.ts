import { deserialize, type Document } from 'bson';
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * The framing shared by the journal and the checkpoint: an 8-byte magic that names the file's kind and format
 * version, then records. Each record is
 *
 *   payload length (u32 LE) · sequence (u64 LE) · CRC-32 of the payload (u32 LE) · CRC-32 of the 16 bytes before (u32 LE) · payload
 *
 * The header's own checksum tells a damaged header (refused) from a record cut short by the end of the file
 * (the one shape a crash in the middle of an append leaves). CRC-32 is zlib's (IEEE polynomial), native in Node.
 */
export const MAGIC_BYTES = 8;
export const FRAME_HEADER_BYTES = 20;

export function encodeFrame(sequence: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeBigUInt64LE(BigInt(sequence), 4);
  frame.writeUInt32LE(crc32(payload), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export interface Frame {
  /** Byte offset of the record's header in the file. */
  offset: number;
  /** Byte offset just past the record. */
  end: number;
  sequence: number;
  payload: Buffer;
}

/** Why the bytes at `offset` are not a whole, intact record. */
export interface FrameDamage {
  offset: number;
  /** `incomplete`: the file ends inside the record, as an interrupted append leaves it; `corrupt`: anything else. */
  kind: 'incomplete' | 'corrupt';
  reason: string;
}

/** Reads the record at `offset`; `undefined` exactly at the end of the file. */
export function readFrame(content: Buffer, offset: number): Frame | FrameDamage | undefined {
  const remaining = content.length - offset;
  if (remaining === 0) return undefined;
  if (remaining < FRAME_HEADER_BYTES) {
    return { offset, kind: 'incomplete', reason: `the file ends ${remaining} bytes into a record header` };
  }
  if (content.readUInt32LE(offset + 16) !== crc32(content.subarray(offset, offset + 16))) {
    return { offset, kind: 'corrupt', reason: 'record header checksum mismatch' };
  }
  const length = content.readUInt32LE(offset);
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > content.length) {
    return {
      offset,
      kind: 'incomplete',
      reason: `a record of ${length} bytes is cut short: the file ends ${remaining - FRAME_HEADER_BYTES} bytes into it`,
    };
  }
  const payload = content.subarray(offset + FRAME_HEADER_BYTES, end);
  if (content.readUInt32LE(offset + 12) !== crc32(payload)) return { offset, kind: 'corrupt', reason: 'record checksum mismatch' };
  return { offset, end, sequence: Number(content.readBigUInt64LE(offset + 4)), payload };
}

export function isFrame(read: Frame | FrameDamage | undefined): read is Frame {
  return read !== undefined && 'payload' in read;
}

/**
 * For salvage only: the next intact record at or after `from`, found by trying every offset (a damaged header
 * hides where the next record starts). Two checksums make a false find vanishingly unlikely.
 */
export function findNextFrame(content: Buffer, from: number): Frame | undefined {
  for (let offset = from; offset + FRAME_HEADER_BYTES <= content.length; offset++) {
    const read = readFrame(content, offset);
    if (isFrame(read)) return read;
  }
  return undefined;
}

export function hasMagic(content: Buffer, magic: Buffer): boolean {
  return content.length >= MAGIC_BYTES && content.subarray(0, MAGIC_BYTES).equals(magic);
}

/** A record's BSON payload; `undefined` when it is not one (which checksums make all but impossible). */
export function parsePayload(payload: Buffer): Document | undefined {
  try {
    return deserialize(payload);
  } catch {
    return undefined;
  }
}

export async function readFileIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A data file that is not exactly what the server wrote: truncated, or with a byte changed. The server refuses
 * to start from it rather than load part of it silently; `npm run db:salvage` keeps what is intact.
 */
export class DataDamagedError extends Error {
  override name = 'DataDamagedError';

  constructor(
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `${path} is damaged at byte ${offset}: ${reason}. Nothing was loaded. ` +
        'Run `npm run db:salvage -- <data folder>` to keep what is intact and see exactly what is lost.',
    );
  }
}
