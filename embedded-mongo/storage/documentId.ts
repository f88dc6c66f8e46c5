import { ObjectId, type Document } from 'bson';
import { CommandError } from '../errors';

/** Gives a new document an ObjectId `_id` when it has none and puts `_id` first, as mongod stores it. */
export function withDocumentId(document: Document): Document {
  const { _id: id = new ObjectId(), ...fields } = document;
  if (Array.isArray(id)) throw new CommandError('BadValue', "can't use an array for _id");
  if (id instanceof RegExp) throw new CommandError('BadValue', "can't use a regex for _id");
  assertNoDollarPrefixedField(id);
  return { _id: id, ...fields };
}

/**
 * Since MongoDB 5.0 a document may have `$`-prefixed field names, except inside `_id` (manual, "Field
 * Names with Periods and Dollar Signs", general restrictions). A DBRef (`$ref`, `$id`, `$db`) is allowed.
 */
function assertNoDollarPrefixedField(value: unknown): void {
  if (typeof value !== 'object' || value === null || value instanceof Date || '_bsontype' in value) return;
  if (Array.isArray(value)) {
    value.forEach(assertNoDollarPrefixedField);
    return;
  }
  for (const [field, nested] of Object.entries(value)) {
    if (field.startsWith('$')) {
      throw new CommandError(
        'DollarPrefixedFieldName',
        `_id fields may not contain '$'-prefixed fields: ${field} is not valid for storage.`,
      );
    }
    assertNoDollarPrefixedField(nested);
  }
}

export function immutableIdError(): CommandError {
  return new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}
