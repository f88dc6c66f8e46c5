import type { CommandStartedEvent } from 'mongodb';
import { type EmbeddedConnection, connectToNewServer } from '../../../embedded-mongo/__tests__/support/embeddedConnection';
import { byIdLoader, groupedByFieldLoader } from '../loaders';

interface Building {
  _id: string;
  districtId: string;
}

/** The scaling finding: a district of 160 buildings took a find and a getMore where one of 40 took a find. */
describe('loaders reading every document they match', () => {
  let connection: EmbeddedConnection;
  const commands: CommandStartedEvent[] = [];
  const buildings = () => connection.db.collection<Building>('buildings');

  beforeAll(async () => {
    connection = await connectToNewServer({ client: { monitorCommands: true } });
    connection.client.on('commandStarted', (event) => commands.push(event));
    await buildings().insertMany(
      Array.from({ length: 650 }, (_, index) => ({ _id: `b${String(index).padStart(3, '0')}`, districtId: index < 640 ? 'big' : 'small' })),
    );
  });

  afterAll(async () => {
    await connection.close();
  });

  it.each([10, 640])('read %i documents in one command', async (count) => {
    commands.length = 0;
    const district = count === 640 ? 'big' : 'small';
    expect(await groupedByFieldLoader(buildings(), 'districtId').load(district)).toHaveLength(count);
    const ids = Array.from({ length: count }, (_, index) => `b${String(index).padStart(3, '0')}`);
    expect(await byIdLoader(buildings()).loadMany(ids)).toHaveLength(count);
    expect(commands.map((event) => event.commandName)).toEqual(['find', 'find']);
  });
});
