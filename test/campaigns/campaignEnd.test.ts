import { closeEndedCampaignCalls } from '../../subgraphs/tenancy/campaignPurge';
import { callsOf, dayOffset, openCampaign, registerHouseholdIn } from '../support/campaignFixtures';
import { type SharedDistrict, registerSharedDistrict } from '../support/tenancyFixtures';
import { type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/**
 * The SDL's promise: NOT_REACHED_IN_TIME is a call of a campaign that ended before the household was reached. A
 * campaign also ends with its period, without `endCampaign`; and an `endCampaign` cut short after ending the campaign
 * left its calls to make. The campaigns' calendar closes them.
 */
describe('the calls still to make of a campaign that has ended', () => {
  let graph: TestGraph;
  let ended: SharedDistrict;
  let running: SharedDistrict;

  beforeAll(async () => {
    graph = await startTestGraph();
    [ended, running] = [await registerSharedDistrict(graph, 'Bagatelle'), await registerSharedDistrict(graph, 'Empalot')];
    for (const district of [ended, running])
      for (const reference of ['a', 'b'])
        await registerHouseholdIn(graph, district.owner.buildingId, reference, { contactName: `M. ${reference}`, livesAlone: true });
  });

  afterAll(async () => {
    await graph.close();
  });

  const statuses = async (district: SharedDistrict, campaignId: string) =>
    dataOf(await callsOf(graph, district.owner.staff, campaignId)).campaign!.calls!.nodes.map((call) => [call.status, call.nextAttemptOn]);

  it('become NOT_REACHED_IN_TIME once the campaign is over, and those of a running campaign stay to call', async () => {
    const open = async (district: SharedDistrict) =>
      dataOf(await openCampaign(graph, district.owner.staff, { districtId: district.districtId })).openCampaign.id;
    const [endedId, runningId] = [await open(ended), await open(running)];
    // Time passes for one of them: its period ended yesterday.
    await graph.db.collection('campaigns').updateOne({ _id: endedId as never }, { $set: { endsOn: dayOffset(-1) } });
    expect(await statuses(ended, endedId)).toEqual([
      ['TO_CALL', dayOffset(0)],
      ['TO_CALL', dayOffset(0)],
    ]);

    expect(await closeEndedCampaignCalls(graph.db, new Date())).toBe(2);
    expect(await statuses(ended, endedId)).toEqual([
      ['NOT_REACHED_IN_TIME', null],
      ['NOT_REACHED_IN_TIME', null],
    ]);
    expect(await statuses(running, runningId)).toEqual([
      ['TO_CALL', dayOffset(0)],
      ['TO_CALL', dayOffset(0)],
    ]);
    expect(await closeEndedCampaignCalls(graph.db, new Date())).toBe(0);
  });
});
