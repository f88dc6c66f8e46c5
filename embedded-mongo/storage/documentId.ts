import { ObjectId, type Document } from 'bson';
import { CommandError } from '../errors';

/** Gives a new document an ObjectId `_id` when it has none and puts `_id` first, as mongod stores it. */
export function withDocumentId(document: Document): Document {
  const { _id: id = new ObjectId(), ...fields } = document;
  if (Array.isArray(id)) throw new CommandError('BadValue', "can't use an array for _id");
  if (id instanceof RegExp) throw new CommandError('BadValue', "can't use a regex for _id");
  return { _id: id, ...fields };
}

export function immutableIdError(): CommandError {
  return new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}
