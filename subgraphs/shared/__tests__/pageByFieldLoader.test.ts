import { calculateObjectSize } from 'bson';
import type { CommandSucceededEvent, Document } from 'mongodb';
import { type EmbeddedConnection, connectToNewServer } from '../../../embedded-mongo/__tests__/support/embeddedConnection';
import { pageByFieldLoader } from '../loaders';
import { encodeCursor } from '../pagination';

interface Dwelling {
  _id: string;
  buildingId: string;
  floor: number;
  notes: string;
}

const PAGE = 20;
/** Each record weighs about a kilobyte, so that sizes are easy to read. */
const NOTES = 'x'.repeat(1_000);

describe('pageByFieldLoader', () => {
  let connection: EmbeddedConnection;
  const replies: CommandSucceededEvent[] = [];

  beforeAll(async () => {
    connection = await connectToNewServer({ client: { monitorCommands: true } });
    connection.client.on('commandSucceeded', (event) => replies.push(event));
    const dwellings: Dwelling[] = [];
    for (let building = 0; building < 200; building += 1) {
      // Parents of 0 to 44 records: some empty, some under a page, some over two.
      for (let index = 0; index < (building * 7) % 45; index += 1) {
        dwellings.push({
          _id: `d${building}-${String(index).padStart(3, '0')}`,
          buildingId: `b${building}`,
          floor: index % 5,
          notes: NOTES,
        });
      }
    }
    await connection.db.collection<Dwelling>('dwellings').insertMany(dwellings);
  });

  afterAll(async () => {
    await connection.close();
  });

  const dwellings = () => connection.db.collection<Dwelling>('dwellings');
  const parents = (count: number) => Array.from({ length: count }, (_, index) => `b${index}`);

  /** The largest document the server answered the batch with, in bytes, over the first batch and every getMore. */
  async function largestResultDocument(parentIds: string[], run: (ids: string[]) => Promise<unknown>): Promise<number> {
    replies.length = 0;
    await run(parentIds);
    const documents = replies.flatMap((event) => {
      const cursor = (event.reply as { cursor?: { firstBatch?: Document[]; nextBatch?: Document[] } }).cursor;
      return cursor?.firstBatch ?? cursor?.nextBatch ?? [];
    });
    return Math.max(...documents.map((document) => calculateObjectSize(document)));
  }

  it('gives each parent its page in _id order, its count, and whether more follow; after a cursor, the next page', async () => {
    const ids = parents(12);
    const first = await Promise.all(ids.map((id) => pageByFieldLoader(dwellings(), 'buildingId', { first: PAGE }).load(id)));
    for (const [index, id] of ids.entries()) {
      const expected = await dwellings().find({ buildingId: id }).sort({ _id: 1 }).toArray();
      expect(first[index]!.totalCount).toBe(expected.length);
      expect(first[index]!.nodes.map((node) => node._id)).toEqual(expected.slice(0, PAGE).map((node) => node._id));
      expect(first[index]!.pageInfo.hasNextPage).toBe(expected.length > PAGE);
      if (expected.length <= PAGE) continue;
      const after = encodeCursor(expected[PAGE - 1]!._id);
      const second = await pageByFieldLoader(dwellings(), 'buildingId', { first: PAGE, after }).load(id);
      expect(second.totalCount).toBe(expected.length);
      expect(second.nodes).toEqual(expected.slice(PAGE, 2 * PAGE));
      expect(second.pageInfo.hasNextPage).toBe(expected.length > 2 * PAGE);
    }
  });

  it('filters, and answers a page of none with the count alone', async () => {
    const [filtered, empty] = await Promise.all([
      pageByFieldLoader(dwellings(), 'buildingId', { first: 3 }, { floor: 0 }).load('b13'),
      pageByFieldLoader(dwellings(), 'buildingId', { first: 0 }).load('b13'),
    ]);
    expect(filtered.totalCount).toBe(await dwellings().countDocuments({ buildingId: 'b13', floor: 0 }));
    expect(filtered.nodes.every((node) => node.floor === 0)).toBe(true);
    expect(empty).toMatchObject({ nodes: [], totalCount: await dwellings().countDocuments({ buildingId: 'b13' }) });
  });

  it('answers a batch of many parents in ONE command, no result document larger than one page', async () => {
    const load = (ids: string[]) => {
      const loader = pageByFieldLoader(dwellings(), 'buildingId', { first: PAGE });
      return Promise.all(ids.map((id) => loader.load(id)));
    };
    const few = await largestResultDocument(parents(10), load);
    replies.length = 0;
    await load(parents(200));
    expect(replies.filter((event) => event.commandName === 'aggregate')).toHaveLength(1);
    const many = await largestResultDocument(parents(200), load);
    // One page of 21 records of about 1 kB, whatever the number of parents (all in one document: 200 times that).
    expect(few).toBeLessThan((PAGE + 2) * 1_100);
    expect(many).toBeLessThan((PAGE + 2) * 1_100);
  });
});
