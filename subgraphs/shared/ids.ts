import { randomBytes } from 'node:crypto';

/** 128 bits: well above the 96 that make guessing another landlord's record hopeless at any request rate. */
const ID_BYTES = 16;

/**
 * Identifiers are opaque strings: random ones for every record the graph creates, readable ones in demo data.
 * Random, not sequential (an ObjectId is mostly a timestamp and a counter), so that an id seen says nothing about
 * the next one, and one landlord cannot find another's new records by trying the ids around its own.
 */
export function newId(): string {
  return randomBytes(ID_BYTES).toString('hex');
}
