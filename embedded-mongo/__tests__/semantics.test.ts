import {
  Binary,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  type Collection,
  type Document,
} from 'mongodb';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/**
 * The embedded server against MongoDB's documented behaviour: every expected result below is written by
 * hand from the MongoDB manual (the section is named where it helps), never computed by mingo or by
 * the server itself. A real mongod passes these tests, except where the server refuses (code 115).
 */
let connection: EmbeddedConnection;
let collectionCount = 0;

beforeAll(async () => {
  connection = await connectToNewServer();
});
afterAll(() => connection.close());

/** Documents whose `_id` may be of any type, as the tests below need. */
interface AnyIdDocument {
  _id?: number | string | Document;
  [field: string]: unknown;
}

async function collectionOf(documents: AnyIdDocument[]): Promise<Collection<AnyIdDocument>> {
  const collection = connection.db.collection<AnyIdDocument>(`semantics${++collectionCount}`);
  if (documents.length > 0) await collection.insertMany(documents);
  return collection;
}

async function idsMatching(collection: Collection<AnyIdDocument>, filter: Document): Promise<unknown[]> {
  return (await collection.find(filter, { sort: { _id: 1 } }).toArray()).map((document) => document._id);
}

const REFUSED = { code: 115, codeName: 'CommandNotSupported', message: expect.stringMatching(/is not supported by the embedded server$/) };
/** A write statement's error carries the code and message, without `codeName`. */
const WRITE_REFUSED = { code: 115, message: expect.stringMatching(/is not supported by the embedded server$/) };

describe('null and missing fields (manual: "Query for Null or Missing Fields")', () => {
  let collection: Collection<AnyIdDocument>;
  beforeAll(async () => {
    collection = await collectionOf([
      { _id: 1, a: null },
      { _id: 2 },
      { _id: 3, a: 1 },
      { _id: 4, a: [null, 2] },
      { _id: 5, a: [1, 2] },
      { _id: 6, a: 'x' },
    ]);
  });

  it.each([
    ['{ a: null } matches null, missing, and an array holding null', { a: null }, [1, 2, 4]],
    ['$eq: null is the same', { a: { $eq: null } }, [1, 2, 4]],
    ['$in: [null] too', { a: { $in: [null] } }, [1, 2, 4]],
    ['$ne: null is the rest', { a: { $ne: null } }, [3, 5, 6]],
    ['$nin: [null, 1] leaves what is neither', { a: { $nin: [null, 1] } }, [6]],
    ['a non-null value never matches a missing field', { a: 1 }, [3, 5]],
    ['$exists: false matches only the missing field', { a: { $exists: false } }, [2]],
    ['$type: "null" matches a null value, not a missing field', { a: { $type: 'null' } }, [1, 4]],
    ['$gte: null is $eq: null', { a: { $gte: null } }, [1, 2, 4]],
    ['$lte: null is $eq: null', { a: { $lte: null } }, [1, 2, 4]],
    ['$gt: null matches nothing', { a: { $gt: null } }, []],
    ['$lt: null matches nothing', { a: { $lt: null } }, []],
  ])('%s', async (_, filter, expected) => {
    await expect(idsMatching(collection, filter)).resolves.toEqual(expected);
  });

  it('matches null on a dotted path through documents, and refuses it through arrays', async () => {
    const nested = await collectionOf([
      { _id: 1, a: { b: null } },
      { _id: 2, a: {} },
      { _id: 3, a: { b: 1 } },
      { _id: 4, a: 5 },
      { _id: 5 },
    ]);
    await expect(idsMatching(nested, { 'a.b': null })).resolves.toEqual([1, 2, 4, 5]);

    await nested.insertOne({ _id: 6, a: [{ b: 1 }, { c: 1 }] });
    await expect(idsMatching(nested, { 'a.b': null })).rejects.toMatchObject(REFUSED);
    // Without null, the array is traversed as usual: an element with b: 1 matches.
    await expect(idsMatching(nested, { 'a.b': 1 })).resolves.toEqual([3, 6]);
  });

  it('distinguishes missing from null inside aggregation expressions ($eq is false, $lt is true)', async () => {
    // Manual, "Comparison/Sort Order": expressions compare by BSON order, where a missing field sorts below null.
    const compared = await collection
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $sort: { _id: 1 } },
        { $project: { eqNull: { $eq: ['$a', null] }, ltNull: { $lt: ['$a', null] } } },
      ])
      .toArray();
    expect(compared).toEqual([
      { _id: 1, eqNull: true, ltNull: false },
      { _id: 2, eqNull: false, ltNull: true },
    ]);
  });
});

describe('paths (manual: "Query on Embedded/Nested Documents", "Database References")', () => {
  it('reaches the $id of a DBRef', async () => {
    const [first, second] = [new ObjectId('65a000000000000000000001'), new ObjectId('65a000000000000000000002')];
    const references = await collectionOf([
      { _id: 1, owner: new DBRef('landlords', first) },
      { _id: 2, owner: new DBRef('landlords', second) },
    ]);
    await expect(idsMatching(references, { 'owner.$id': second })).resolves.toEqual([2]);
  });

  it('reads a numeric segment as an array index and as a field name', async () => {
    const collection = await collectionOf([
      { _id: 1, a: [{ b: 1 }, { b: 2 }] },
      { _id: 2, a: [{ 1: 'x', b: 3 }] },
      { _id: 3, a: { 1: { b: 2 } } },
    ]);
    await expect(idsMatching(collection, { 'a.1.b': 2 })).resolves.toEqual([1, 3]);
    await expect(idsMatching(collection, { 'a.1': 'x' })).resolves.toEqual([2]);
  });
});

describe('regular expressions (manual: "$regex")', () => {
  it('match strings and string elements; $eq compares a stored regular expression; $ne refuses one', async () => {
    const collection = await collectionOf([
      { _id: 1, s: 'Abc' },
      { _id: 2, s: ['x', 'abd'] },
      { _id: 3, s: /^a/ },
      { _id: 4, s: 5 },
      { _id: 5 },
    ]);
    await expect(idsMatching(collection, { s: /^ab/i })).resolves.toEqual([1, 2]);
    // A stored regular expression matches only the identical one.
    await expect(idsMatching(collection, { s: /^a/ })).resolves.toEqual([2, 3]);
    await expect(idsMatching(collection, { s: { $regex: '^AB', $options: 'i' } })).resolves.toEqual([1, 2]);
    await expect(idsMatching(collection, { s: { $in: [/^x$/, 5] } })).resolves.toEqual([2, 4]);
    await expect(idsMatching(collection, { s: { $eq: /^a/ } })).resolves.toEqual([3]);
    await expect(idsMatching(collection, { s: { $ne: /^a/ } })).rejects.toMatchObject({ code: 2 });
  });
});

describe('$not (manual: "$not")', () => {
  it('matches documents whose field is missing or does not meet the condition', async () => {
    const collection = await collectionOf([
      { _id: 1, price: 1 },
      { _id: 2, price: 2 },
      { _id: 3 },
      { _id: 4, price: 'cheap' },
      { _id: 5, price: [1, 3] },
    ]);
    await expect(idsMatching(collection, { price: { $not: { $gt: 1 } } })).resolves.toEqual([1, 3, 4]);
    await expect(idsMatching(collection, { price: { $not: /^ch/ } })).resolves.toEqual([1, 2, 3, 5]);
  });
});

describe('comparisons stay within a BSON type (manual: "Comparison Query Operators", type bracketing)', () => {
  let collection: Collection<AnyIdDocument>;
  beforeAll(async () => {
    collection = await collectionOf([
      { _id: 1, a: 5 },
      { _id: 2, a: '5' },
      { _id: 3, a: null },
      { _id: 4, a: true },
      { _id: 5, a: new Date('2026-01-01T00:00:00Z') },
      { _id: 6, a: [3, 'z'] },
      { _id: 7, a: { x: 1 } },
      { _id: 8 },
    ]);
  });

  it.each([
    ['a number bound only meets numbers (and array elements)', { a: { $gt: 4 } }, [1]],
    ['elements of an array are compared one by one', { a: { $gte: 3 } }, [1, 6]],
    ['a string bound only meets strings', { a: { $lt: 'z' } }, [2]],
    ['... including array elements', { a: { $lte: 'z' } }, [2, 6]],
    ['a date bound only meets dates', { a: { $gte: new Date(0) } }, [5]],
    ['a boolean bound only meets booleans', { a: { $gte: false } }, [4]],
    ['a document bound only meets documents', { a: { $gt: {} } }, [7]],
  ])('%s', async (_, filter, expected) => {
    await expect(idsMatching(collection, filter)).resolves.toEqual(expected);
  });

  it('compares across types by BSON order inside aggregation expressions', async () => {
    const [compared] = await collection
      .aggregate([
        { $match: { _id: 1 } },
        { $project: { _id: 0, stringAboveNumber: { $gt: ['x', 1] }, nullBelowNumber: { $lt: [null, 0] }, cmp: { $cmp: [{}, 'a'] } } },
      ])
      .toArray();
    expect(compared).toEqual({ stringAboveNumber: true, nullBelowNumber: true, cmp: 1 });
  });
});

describe('numbers compare by value whatever their BSON type (manual: "Comparison/Sort Order", numeric types)', () => {
  it('matches int, long and double of the same value, and compares longs beyond 2^53 exactly', async () => {
    const collection = await collectionOf([
      { _id: 1, n: new Int32(1) },
      { _id: 2, n: Long.fromNumber(1) },
      { _id: 3, n: new Double(1) },
      { _id: 4, n: 1.5 },
      { _id: 5, n: Long.fromString('9007199254740993') },
      { _id: 6, n: 9007199254740992 },
    ]);
    await expect(idsMatching(collection, { n: 1 })).resolves.toEqual([1, 2, 3]);
    await expect(idsMatching(collection, { n: { $in: [Long.fromNumber(1)] } })).resolves.toEqual([1, 2, 3]);
    await expect(idsMatching(collection, { n: { $gt: 9007199254740992 } })).resolves.toEqual([5]);
    await expect(idsMatching(collection, { n: { $gt: 1, $lt: 2 } })).resolves.toEqual([4]);
    const descending = await collection.find({}, { sort: { n: -1, _id: 1 } }).toArray();
    expect(descending.map(({ _id }) => _id)).toEqual([5, 6, 4, 1, 2, 3]);
  });

  it('refuses to compare, group or list distinct Decimal128 values, which it cannot order exactly', async () => {
    const collection = await collectionOf([
      { _id: 1, n: Decimal128.fromString('1.0') },
      { _id: 2, n: Decimal128.fromString('1') },
    ]);
    await expect(idsMatching(collection, { n: 1 })).rejects.toMatchObject(REFUSED);
    await expect(collection.aggregate([{ $group: { _id: '$n' } }]).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.distinct('n')).rejects.toMatchObject(REFUSED);
  });

  it('treats NaN as equal to NaN and as no match for range operators', async () => {
    const collection = await collectionOf([
      { _id: 1, n: Number.NaN },
      { _id: 2, n: 0 },
    ]);
    await expect(idsMatching(collection, { n: Number.NaN })).resolves.toEqual([1]);
    await expect(idsMatching(collection, { n: { $lt: 5 } })).resolves.toEqual([2]);
    await expect(idsMatching(collection, { n: { $gte: Number.NaN } })).resolves.toEqual([1]);
  });
});

describe('sort order across types (manual: "Comparison/Sort Order")', () => {
  it('orders MinKey < [] < null < numbers < strings < objects < arrays < binary < ObjectId < booleans < dates < timestamps < regex < MaxKey', async () => {
    const collection = await collectionOf([
      { _id: 'maxKey', v: new MaxKey() },
      { _id: 'regex', v: /re/ },
      { _id: 'timestamp', v: new Timestamp({ t: 1, i: 1 }) },
      { _id: 'date', v: new Date('2026-01-01T00:00:00Z') },
      { _id: 'true', v: true },
      { _id: 'false', v: false },
      { _id: 'objectId', v: new ObjectId('65a000000000000000000001') },
      { _id: 'binary', v: new Binary(Buffer.from('x')) },
      { _id: 'nestedArray', v: [[0]] },
      { _id: 'object', v: { x: 1 } },
      { _id: 'string', v: 'b' },
      { _id: 'number', v: 2 },
      // An array sorts by its smallest element ascending, its largest descending.
      { _id: 'array', v: [5, 0.5] },
      { _id: 'null', v: null },
      // An empty array sorts below null.
      { _id: 'emptyArray', v: [] },
      { _id: 'minKey', v: new MinKey() },
    ]);
    const ascending = (await collection.find({}, { sort: { v: 1 } }).toArray()).map(({ _id }) => _id);
    expect(ascending).toEqual([
      'minKey',
      'emptyArray',
      'null',
      'array',
      'number',
      'string',
      'object',
      'nestedArray',
      'binary',
      'objectId',
      'false',
      'true',
      'date',
      'timestamp',
      'regex',
      'maxKey',
    ]);
    const descending = (await collection.aggregate([{ $sort: { v: -1 } }]).toArray()).map(({ _id }) => _id);
    expect(descending).toEqual([
      'maxKey',
      'regex',
      'timestamp',
      'date',
      'true',
      'false',
      'objectId',
      'binary',
      'nestedArray',
      'object',
      'string',
      'array',
      'number',
      'null',
      'emptyArray',
      'minKey',
    ]);
  });

  it('sorts a missing field as null, and strings by their bytes', async () => {
    const collection = await collectionOf([{ _id: 1, s: 'b' }, { _id: 2 }, { _id: 3, s: 'B' }, { _id: 4, s: 'é' }, { _id: 5, s: '' }]);
    const ascending = (await collection.find({}, { sort: { s: 1 } }).toArray()).map(({ _id }) => _id);
    expect(ascending).toEqual([2, 5, 3, 1, 4]);
  });
});

describe('aggregation stages (manual: "$addFields", "$unwind", "$lookup")', () => {
  it('$addFields adds into embedded documents and into each document of an array, and drops a missing value', async () => {
    const collection = await collectionOf([{ _id: 1, specs: { doors: 4 }, parts: [{ n: 1 }, { n: 2 }], old: 1 }, { _id: 2 }]);
    const added = await collection
      .aggregate([
        { $sort: { _id: 1 } },
        { $addFields: { 'specs.fuel': 'unleaded', 'parts.checked': true, old: '$absent', total: { $size: { $ifNull: ['$parts', []] } } } },
      ])
      .toArray();
    expect(added).toEqual([
      {
        _id: 1,
        specs: { doors: 4, fuel: 'unleaded' },
        parts: [
          { n: 1, checked: true },
          { n: 2, checked: true },
        ],
        total: 2,
      },
      { _id: 2, specs: { fuel: 'unleaded' }, parts: { checked: true }, total: 0 },
    ]);
  });

  it('$unwind keeps null, missing and empty arrays only when asked, without the empty array', async () => {
    const collection = await collectionOf([
      { _id: 1, sizes: ['S', 'M'] },
      { _id: 2, sizes: [] },
      { _id: 3, sizes: null },
      { _id: 4 },
      { _id: 5, sizes: 'L' },
    ]);
    await expect(collection.aggregate([{ $sort: { _id: 1 } }, { $unwind: '$sizes' }]).toArray()).resolves.toEqual([
      { _id: 1, sizes: 'S' },
      { _id: 1, sizes: 'M' },
      { _id: 5, sizes: 'L' },
    ]);
    await expect(
      collection.aggregate([{ $sort: { _id: 1 } }, { $unwind: { path: '$sizes', preserveNullAndEmptyArrays: true } }]).toArray(),
    ).resolves.toEqual([
      { _id: 1, sizes: 'S' },
      { _id: 1, sizes: 'M' },
      { _id: 2 },
      { _id: 3, sizes: null },
      { _id: 4 },
      { _id: 5, sizes: 'L' },
    ]);
  });

  it('$lookup joins a missing or null local field to foreign documents where the field is null or missing', async () => {
    const foreign = await collectionOf([{ _id: 'f1', key: 'a' }, { _id: 'f2', key: null }, { _id: 'f3' }, { _id: 'f4', key: 1 }]);
    const local = await collectionOf([{ _id: 1, key: 'a' }, { _id: 2 }, { _id: 3, key: [1, 'a'] }, { _id: 4, key: 1.0 }]);
    const joined = await local
      .aggregate([
        { $sort: { _id: 1 } },
        { $lookup: { from: foreign.collectionName, localField: 'key', foreignField: 'key', as: 'found' } },
        { $project: { ids: '$found._id' } },
      ])
      .toArray();
    expect(joined).toEqual([
      { _id: 1, ids: ['f1'] },
      { _id: 2, ids: ['f2', 'f3'] },
      { _id: 3, ids: ['f1', 'f4'] },
      { _id: 4, ids: ['f4'] },
    ]);
  });
});

describe('update operators', () => {
  it('$currentDate stores a BSON Timestamp or a Date as asked (manual: "$currentDate")', async () => {
    const collection = await collectionOf([{ _id: 1 }]);
    await collection.updateOne({ _id: 1 }, {
      $currentDate: { changedAt: true, stamp: { $type: 'timestamp' }, day: { $type: 'date' } },
    } as Document);
    const updated = await collection.findOne({ _id: 1 });
    expect(updated?.changedAt).toBeInstanceOf(Date);
    expect(updated?.day).toBeInstanceOf(Date);
    expect(updated?.stamp).toBeInstanceOf(Timestamp);
  });

  it('$min and $max compare by BSON order, across types (manual: "$min", "$max")', async () => {
    const collection = await collectionOf([{ _id: 1, low: 5, high: 5, text: 'a' }]);
    await collection.updateOne({ _id: 1 }, { $min: { low: null, text: 3 }, $max: { high: 'z', fresh: 1 } });
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual({ _id: 1, low: null, high: 'z', text: 3, fresh: 1 });
  });

  it('fails, changing nothing, on paths mongod cannot follow and on array operators over other values', async () => {
    const original = { _id: 1, parts: [{ n: 1 }, { n: 2 }], label: 'x', count: 1, list: [1, 2, 3] };
    const collection = await collectionOf([original]);
    const failures: Array<[Document, number]> = [
      [{ $set: { 'parts.n': 5 } }, 28], // PathNotViable: a named field inside an array
      [{ $set: { 'label.x': 1 } }, 28], // PathNotViable: a field inside a string
      [{ $push: { label: 1 } }, 2],
      [{ $addToSet: { label: 1 } }, 2],
      [{ $pop: { label: 1 } }, 14],
      [{ $set: { 'absent.$[].n': 0 } }, 2], // $[] needs an existing array
      [{ $set: { count: 2 }, $unset: { count: '' } }, 40], // ConflictingUpdateOperators
      [{ $set: { parts: [], 'parts.0': 1 } }, 40],
      [{ $inc: { count: 'one' } }, 14],
    ];
    for (const [update, code] of failures) {
      await expect(collection.updateOne({ _id: 1 }, update)).rejects.toMatchObject({ code });
    }
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual(original);
  });

  it('pads an array set beyond its end with null, creates missing documents, and $unset of an element leaves null', async () => {
    const collection = await collectionOf([{ _id: 1, list: [1], parts: [{ n: 1 }, { n: 2 }] }]);
    await collection.updateOne({ _id: 1 }, {
      $set: { 'list.3': 9, 'made.deep': true, 'parts.1.n': 5 },
      $inc: { counter: 2 },
      $mul: { zero: 3 },
    } as Document);
    await collection.updateOne({ _id: 1 }, { $unset: { 'list.0': '' } });
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual({
      _id: 1,
      list: [null, null, null, 9],
      parts: [{ n: 1 }, { n: 5 }],
      made: { deep: true },
      counter: 2,
      zero: 0,
    });
  });

  it('updates the array elements its arrayFilters select, in every matched document (manual: "$[<identifier>]")', async () => {
    const collection = await collectionOf([
      { _id: 1, grades: [{ score: 3 }, { score: 1 }], tags: [5, 10, 15] },
      { _id: 2, grades: [{ score: 0 }, { score: 1 }], tags: [] },
    ]);
    const updated = await collection.updateMany(
      {},
      { $set: { 'grades.$[low].score': 2 } },
      { arrayFilters: [{ 'low.score': { $lte: 1 } }] },
    );
    expect(updated).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    await collection.updateOne({ _id: 1 }, { $inc: { 'tags.$[big]': 1 } } as Document, { arrayFilters: [{ big: { $gte: 10 } }] });
    await expect(collection.find({}, { sort: { _id: 1 } }).toArray()).resolves.toEqual([
      { _id: 1, grades: [{ score: 3 }, { score: 2 }], tags: [5, 11, 16] },
      { _id: 2, grades: [{ score: 2 }, { score: 2 }], tags: [] },
    ]);
    // An array filter the update does not use is an error (FailedToParse).
    await expect(collection.updateOne({ _id: 1 }, { $set: { tags: [] } }, { arrayFilters: [{ unused: 1 }] })).rejects.toMatchObject({
      code: 9,
    });
  });

  it('reports a document as unmodified when an update leaves it equal', async () => {
    const collection = await collectionOf([{ _id: 1, n: 1 }]);
    await expect(collection.updateOne({ _id: 1 }, { $set: { n: 1 } })).resolves.toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });
});

describe('let variables are expressions evaluated once (manual: "let" option of find, aggregate, update, delete)', () => {
  it('evaluates let in find, so an expression can be compared', async () => {
    const collection = await collectionOf([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
    ]);
    const found = await collection.find({ $expr: { $eq: ['$n', '$$v'] } }, { let: { v: { $add: [1, 1] } } }).toArray();
    expect(found).toEqual([{ _id: 2, n: 2 }]);
  });

  it('gives $literal its value, and one $rand value to every document', async () => {
    const collection = await collectionOf([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const projected = await collection
      .aggregate([{ $project: { literal: '$$literal', random: '$$random' } }], {
        let: { literal: { $literal: { $notAnOperator: 1 } }, random: { $rand: {} } },
      })
      .toArray();
    expect(projected.map(({ literal }) => literal)).toEqual([{ $notAnOperator: 1 }, { $notAnOperator: 1 }, { $notAnOperator: 1 }]);
    const [first] = projected;
    expect(typeof first?.random).toBe('number');
    expect(first?.random).toBeGreaterThanOrEqual(0);
    expect(first?.random).toBeLessThan(1);
    expect(new Set(projected.map(({ random }) => random)).size).toBe(1);
  });

  it('is usable in the filter and the pipeline of an update, and in a delete', async () => {
    const collection = await collectionOf([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const updated = await collection.updateOne({ $expr: { $eq: ['$_id', '$$id'] } }, [{ $set: { x: '$$x', y: '$$y' } }], {
      let: { id: { $subtract: [2, 1] }, x: 'foo', y: { $literal: '$bar' } },
    });
    expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual({ _id: 1, x: 'foo', y: '$bar' });

    await collection.findOneAndUpdate({ $expr: { $eq: ['$_id', '$$id'] } }, { $set: { touched: true } }, { let: { id: 2 } });
    await expect(collection.findOne({ _id: 2 })).resolves.toEqual({ _id: 2, touched: true });

    await expect(
      collection.deleteMany({ $expr: { $gte: ['$_id', '$$from'] } }, { let: { from: { $add: [1, 1] } } }),
    ).resolves.toMatchObject({ deletedCount: 2 });
    await expect(collection.countDocuments()).resolves.toBe(1);
  });

  it('refuses a variable name MongoDB refuses', async () => {
    const collection = await collectionOf([{ _id: 1 }]);
    await expect(collection.find({}, { let: { Upper: 1 } }).toArray()).rejects.toMatchObject({ code: 9 });
  });
});

describe('pipeline-style updates (manual: "Updates with Aggregation Pipeline")', () => {
  it('keeps the original _id when the pipeline output has none', async () => {
    const collection = await collectionOf([
      { _id: 1, x: 1, t: { u: { v: 1 } } },
      { _id: 2, x: 2, y: 1 },
    ]);
    await expect(
      collection.updateOne({ _id: 1 }, [{ $replaceRoot: { newRoot: '$t' } }, { $addFields: { foo: 1 } }]),
    ).resolves.toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    await expect(collection.updateMany({ _id: 2 }, [{ $unset: ['_id', 'y'] }])).resolves.toMatchObject({ modifiedCount: 1 });
    await expect(collection.find({}, { sort: { _id: 1 } }).toArray()).resolves.toEqual([
      { _id: 1, u: { v: 1 }, foo: 1 },
      { _id: 2, x: 2 },
    ]);
  });

  it('adds fields with $replaceWith and $setField, including a $-prefixed one', async () => {
    const collection = await collectionOf([{ _id: 1, a: 1 }]);
    const replacedWith = { $replaceWith: { $setField: { field: { $literal: '$price' }, value: 3, input: '$$ROOT' } } };
    await expect(collection.updateOne({ _id: 1 }, [replacedWith, { $set: { b: 2 } }])).resolves.toMatchObject({ modifiedCount: 1 });
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual({ _id: 1, a: 1, $price: 3, b: 2 });
  });

  it('refuses to change _id (ImmutableField), and leaves the document as it was', async () => {
    const collection = await collectionOf([{ _id: 1, a: 1 }]);
    await expect(collection.updateOne({ _id: 1 }, [{ $replaceWith: { _id: 2, a: 2 } }])).rejects.toMatchObject({ code: 66 });
    await expect(collection.findOneAndUpdate({ _id: 1 }, [{ $set: { _id: 3 } }])).rejects.toMatchObject({ code: 66 });
    await expect(collection.find().toArray()).resolves.toEqual([{ _id: 1, a: 1 }]);
  });

  it('stores no field for an expression that gives a missing value', async () => {
    const collection = await collectionOf([{ _id: 1, a: 1 }]);
    // In an array, a missing value becomes null (manual: "Expression Operators", array expressions).
    await collection.updateOne({ _id: 1 }, [
      { $replaceWith: { kept: '$a', gone: '$absent', inner: { gone: '$absent' }, list: ['$absent', 1] } },
    ]);
    await expect(collection.findOne({ _id: 1 })).resolves.toEqual({ _id: 1, kept: 1, inner: {}, list: [null, 1] });
    await expect(idsMatching(collection, { gone: null, 'inner.gone': { $exists: false }, list: null })).resolves.toEqual([1]);
    await expect(idsMatching(collection, { gone: { $exists: true } })).resolves.toEqual([]);
  });

  it('upserts from the filter equalities, then the pipeline', async () => {
    const collection = await collectionOf([]);
    await collection.updateOne({ _id: 7 }, [{ $set: { x: { $add: [1, 2] } } }], { upsert: true });
    await expect(collection.find().toArray()).resolves.toEqual([{ _id: 7, x: 3 }]);
  });

  it('refuses stages an update pipeline may not hold', async () => {
    const collection = await collectionOf([{ _id: 1 }]);
    await expect(collection.updateOne({ _id: 1 }, [{ $group: { _id: null } }])).rejects.toMatchObject(WRITE_REFUSED);
  });
});

describe('field names (manual: "Field Names with Periods and Dollar Signs")', () => {
  it('stores $-prefixed and dotted field names outside _id', async () => {
    const collection = await collectionOf([]);
    await collection.insertMany([{ _id: 1, $a: 1 }, { _id: 2, 'a.b': 1 }, { _id: 3, a: { $b: 1 } }, { _id: { 'a.b': 1 } }]);
    await expect(collection.find({}, { sort: { _id: 1 } }).toArray()).resolves.toEqual([
      { _id: 1, $a: 1 },
      { _id: 2, 'a.b': 1 },
      { _id: 3, a: { $b: 1 } },
      { _id: { 'a.b': 1 } },
    ]);
  });

  it('refuses a $-prefixed field anywhere inside _id (DollarPrefixedFieldName), for inserts and upserts', async () => {
    const collection = await collectionOf([]);
    const dollarInId = { code: 52, message: expect.stringContaining("_id fields may not contain '$'-prefixed fields") };
    await expect(collection.insertOne({ _id: { $a: 1 } })).rejects.toMatchObject(dollarInId);
    await expect(collection.insertOne({ _id: { k: [{ $b: 1 }] } })).rejects.toMatchObject(dollarInId);
    await expect(collection.replaceOne({ _id: { k: { $invalid: 'v' } } }, { v: 'replaced' }, { upsert: true })).rejects.toMatchObject(
      dollarInId,
    );
    await expect(collection.countDocuments()).resolves.toBe(0);
  });
});
