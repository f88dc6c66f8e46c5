import { ObjectId } from 'mongodb';

/** Identifiers are opaque strings: an ObjectId's hex form for records we create, readable ones in demo data. */
export function newId(): string {
  return new ObjectId().toHexString();
}
