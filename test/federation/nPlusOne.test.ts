import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandStartedEvent } from 'mongodb';
import { registerBuilding, registerDistrict, registerDwellings, registerLandlord } from '../support/housingFixtures';
import { registerPartner } from '../support/partnersFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, startTestGraph } from '../support/testGraph';

/**
 * The district dashboard asks, for every building, its landlord, its dwelling count and its request stats, and
 * for every action its organisers and partners, across four subgraphs. Every per-parent field must cost one
 * database command per batch: the dashboard of a district with 50 buildings (and their requests, and more
 * actions) sends exactly the commands of a district with one building and one action.
 */

const DISTRICT_DASHBOARD = readFileSync(path.resolve(__dirname, '../../schema/operations/districtDashboard.graphql'), 'utf8');

/** Connection upkeep the driver sends on its own; everything else is a command some resolver asked for. */
const DRIVER_UPKEEP = new Set(['endSessions', 'hello', 'ping']);

const BUILDING_COUNT = 50;
const DWELLINGS_PER_BUILDING = 3;
const REQUESTS_PER_BUILDING = 2;
const REQUEST_CATEGORIES = ['CLEANLINESS', 'BULKY_WASTE', 'LIFT'];

/** The collection a command works on (getMore names it apart), or the database for database-wide commands. */
function targetOf(event: CommandStartedEvent): string {
  const command = event.command as Record<string, unknown>;
  const target = event.commandName === 'getMore' ? command.collection : command[event.commandName];
  return typeof target === 'string' ? target : event.databaseName;
}

/** Commands counted by `collection.command`, e.g. `{ 'dwellings.aggregate': 2 }`. */
function countByTarget(events: readonly CommandStartedEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    const key = `${targetOf(event)}.${event.commandName}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

describe('the district dashboard costs the same number of database commands whatever the number of buildings', () => {
  let graph: TestGraph;
  let districtId: string;
  let landlordIds: string[];
  let partnerIds: string[];

  async function mutate(mutation: string, variables: Record<string, unknown>): Promise<Record<string, { id: string }>> {
    return dataOf(await graph.request<Record<string, { id: string }>>(mutation, { caller: TEST_ADMIN, variables }));
  }

  /** A building of one of the landlords in turn, with a few dwellings and two service requests. */
  async function addBuilding(index: number): Promise<string> {
    const landlordId = landlordIds[index % landlordIds.length]!;
    const buildingId = await registerBuilding(graph, landlordId, districtId, `des Tilleuls ${index}`);
    const references = Array.from({ length: DWELLINGS_PER_BUILDING }, (_, dwelling) => `B${index}-L${dwelling}`);
    await registerDwellings(graph, buildingId, references);
    for (let request = 0; request < REQUESTS_PER_BUILDING; request += 1) {
      const category = REQUEST_CATEGORIES[(index + request) % REQUEST_CATEGORIES.length];
      await mutate('mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id } }', {
        input: { buildingId, category, channel: 'PHONE' },
      });
    }
    return buildingId;
  }

  /** An action proposed by one landlord, co-organised by the others given (invited, accepting), with every partner of the district. */
  async function addAction(title: string, proposerId: string, joinerIds: readonly string[], buildingIds: readonly string[]): Promise<void> {
    const { proposeAction } = await mutate('mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }', {
      input: { districtId, title, kind: 'CLEAN_UP', tfpbAxis: 'EXTRA_MAINTENANCE', landlordId: proposerId, buildingIds, partnerIds },
    });
    let expectedVersion = 1;
    for (const landlordId of joinerIds) {
      for (const step of ['inviteToAction', 'acceptActionInvitation']) {
        await mutate(
          `mutation ($id: ID!, $version: Int!, $landlordId: ID!) { ${step}(id: $id, expectedVersion: $version, landlordId: $landlordId) { id } }`,
          {
            id: proposeAction!.id,
            version: expectedVersion,
            landlordId,
          },
        );
        expectedVersion += 1;
      }
    }
  }

  /** The commands one run of the dashboard sends, after checking it answered without errors. */
  async function dashboardCommands(expectedBuildings: number): Promise<CommandStartedEvent[]> {
    graph.resetCommands();
    const response = await graph.request<{ district: { buildings: { totalCount: number; nodes: unknown[] } } }>(DISTRICT_DASHBOARD, {
      caller: TEST_ADMIN,
      variables: { districtId },
    });
    const commands = graph.commands.filter((event) => !DRIVER_UPKEEP.has(event.commandName));
    const { buildings } = dataOf(response).district;
    expect(buildings.totalCount).toBe(expectedBuildings);
    expect(buildings.nodes).toHaveLength(expectedBuildings);
    return commands;
  }

  beforeAll(async () => {
    graph = await startTestGraph();
    districtId = await registerDistrict(graph, 'La Reynerie');
    landlordIds = [
      await registerLandlord(graph, 'Groupe des Chalets'),
      await registerLandlord(graph, 'Patrimoine SA Languedocienne'),
      await registerLandlord(graph, 'Toulouse Métropole Habitat'),
    ];
    partnerIds = [
      await registerPartner(graph, {
        name: 'Régie de quartier Reynerie',
        kind: 'NEIGHBOURHOOD_BOARD',
        cnlrqLabel: true,
        services: ['CLEANING'],
        districtIds: [districtId],
      }),
      await registerPartner(graph, {
        name: 'Association Reynerie Solidaire',
        kind: 'ASSOCIATION',
        services: ['COMMUNITY_EVENTS'],
        districtIds: [districtId],
      }),
    ];
    const firstBuilding = await addBuilding(0);
    await addAction('Nettoyage des abords', landlordIds[0]!, [], [firstBuilding]);
  }, 60_000);

  afterAll(async () => {
    await graph.close();
  });

  it(`sends as many commands for ${BUILDING_COUNT} buildings as for one`, async () => {
    const withOneBuilding = await dashboardCommands(1);

    const buildingIds: string[] = [];
    for (let index = 1; index < BUILDING_COUNT; index += 1) buildingIds.push(await addBuilding(index));
    for (const [index, proposerId] of landlordIds.entries()) {
      const joinerIds = landlordIds.filter((landlordId) => landlordId !== proposerId);
      await addAction(`Journée encombrants ${index + 1}`, proposerId, joinerIds, buildingIds.slice(index * 10, index * 10 + 10));
    }
    const withAllBuildings = await dashboardCommands(BUILDING_COUNT);

    console.log(
      `District dashboard, database commands: ${withOneBuilding.length} for 1 building, ` +
        `${withAllBuildings.length} for ${BUILDING_COUNT} buildings\n` +
        JSON.stringify(countByTarget(withAllBuildings), null, 2),
    );
    // Compared per collection and command first, so that a failure names what grew.
    expect(countByTarget(withAllBuildings)).toEqual(countByTarget(withOneBuilding));
    expect(withAllBuildings.length).toBe(withOneBuilding.length);
  }, 120_000);
});
