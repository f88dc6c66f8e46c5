import {
  type ActionView,
  type Cooperation,
  actionAfter,
  coOrganised,
  coordinatorOf,
  createCooperation,
  partnerStaff,
  readAction,
  scheduledAction,
  sendAction,
  staffOf,
} from '../support/actionsFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

describe('actions: what the cooperation shares, and with whom', () => {
  let graph: TestGraph;
  let coop: Cooperation;
  /** Proposed by Groupe des Chalets with the régie, co-organised by Patrimoine SA Languedocienne: two organisers. */
  let joint: ActionView;
  /** In Bellefontaine, with the association. */
  let nextDoor: ActionView;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
    const proposed = await actionAfter(graph, 'proposeAction', staffOf(coop.chalets), {
      input: {
        districtId: coop.mirail,
        title: 'Jardin partagé',
        kind: 'GARDENING',
        buildingIds: [coop.buildings.chaletsMirail],
        partnerIds: [coop.regie],
        costShareCents: 300_00,
      },
    });
    joint = await coOrganised(graph, proposed, coop.languedocienne, 120_00);
    nextDoor = await scheduledAction(graph, coop.chalets, {
      districtId: coop.bellefontaine,
      title: 'Plantations',
      partnerIds: [coop.association],
      buildingIds: [coop.buildings.chaletsBellefontaine],
    });
  });

  afterAll(async () => {
    await graph.close();
  });

  /** The cost shares `caller` reads, and the codes of the errors it gets. */
  const costSharesSeenBy = async (caller: Parameters<typeof readAction>[1]) => {
    const response = await readAction(graph, caller, joint.id);
    return { shares: response.data?.action?.costShares, codes: errorCodes(response), title: response.data?.action?.title };
  };

  it("shows cost shares to the action's organisers, the district's coordinators and admins; FORBIDDEN on the field to everyone else", async () => {
    const shares = [
      { landlord: { id: coop.chalets }, amountCents: 300_00 },
      { landlord: { id: coop.languedocienne }, amountCents: 120_00 },
    ];
    for (const caller of [staffOf(coop.chalets), staffOf(coop.languedocienne), coordinatorOf(coop.mirail), TEST_ADMIN]) {
      expect(await costSharesSeenBy(caller)).toEqual({ shares, codes: [], title: 'Jardin partagé' });
    }
    // The rest of the action stays readable: only the field is refused.
    for (const caller of [staffOf(coop.metropoleHabitat), partnerStaff(coop.regie)]) {
      expect(await costSharesSeenBy(caller)).toEqual({ shares: null, codes: ['FORBIDDEN'], title: 'Jardin partagé' });
    }
  });

  it("reads only the selected fields of a district's actions, and still applies the cost-share rule", async () => {
    const costSharesInList = async (caller: Parameters<typeof readAction>[1]) => {
      const answer = await graph.request<{ district: { actions: { id: string; costShares: { amountCents: number }[] | null }[] } }>(
        'query ($id: ID!) { district(id: $id) { actions { id costShares { amountCents } } } }',
        { caller, variables: { id: coop.mirail } },
      );
      return answer.data?.district.actions.find((action) => action.id === joint.id)?.costShares;
    };
    // The rule reads the organisers, which this query does not select.
    expect(await costSharesInList(staffOf(coop.languedocienne))).toEqual([{ amountCents: 300_00 }, { amountCents: 120_00 }]);
    expect(await costSharesInList(staffOf(coop.metropoleHabitat))).toBeNull();

    graph.resetCommands();
    const titles = await graph.request<{ district: { actions: { id: string; title: string }[] } }>(
      'query ($id: ID!) { district(id: $id) { actions { id title } } }',
      { caller: coordinatorOf(coop.mirail), variables: { id: coop.mirail } },
    );
    expect(dataOf(titles).district.actions.map((action) => action.title)).toContain('Jardin partagé');
    const actionFinds = graph.commands.filter((command) => command.commandName === 'find' && command.command.find === 'actions');
    expect(actionFinds.map((command): unknown => command.command.projection)).toEqual([{ _id: 1, districtId: 1, title: 1 }]);
  });

  it('shows an action to its district only: outside it, null, as an action that does not exist', async () => {
    const seenByNeighbour = await readAction(graph, staffOf(coop.neighbour), joint.id);
    expect(seenByNeighbour.data?.action).toBeNull();
    expect(errorCodes(seenByNeighbour)).toEqual([]);
    const seenByAssociation = await readAction(graph, partnerStaff(coop.association), joint.id);
    expect([seenByAssociation.data?.action, errorCodes(seenByAssociation)]).toEqual([null, []]);
    // The régie reads the action, all but its cost shares.
    const seenByRegie = await readAction(graph, partnerStaff(coop.regie), joint.id);
    expect(seenByRegie.data?.action).toMatchObject({ id: joint.id, costShares: null });
    expect(errorCodes(seenByRegie)).toEqual(['FORBIDDEN']);
    expect(dataOf(await readAction(graph, staffOf(coop.chalets), 'no-such-action')).action).toBeNull();
  });

  it('enforces the same rules when the actions subgraph is called directly', async () => {
    const entities = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on NeighbourhoodAction { id costShares { amountCents } } }
    }`;
    const representations = [{ __typename: 'NeighbourhoodAction', id: joint.id }];
    const url = graph.subgraphUrls.actions;
    const byNeighbour = await graph.request(entities, { caller: staffOf(coop.neighbour), variables: { representations }, url });
    expect([byNeighbour.data, errorCodes(byNeighbour)]).toEqual([{ _entities: [null] }, []]);
    const byOutsider = await graph.request<{ _entities: { id: string; costShares: unknown[] | null }[] }>(entities, {
      caller: staffOf(coop.metropoleHabitat),
      variables: { representations },
      url,
    });
    expect(errorCodes(byOutsider)).toEqual(['FORBIDDEN']);
    expect(byOutsider.data?._entities[0]).toEqual({ id: joint.id, costShares: null });
    const anonymous = await graph.request('query ($id: ID!) { action(id: $id) { id } }', {
      caller: null,
      variables: { id: joint.id },
      url,
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a partner record the outcome of an action it takes part in, and no other', async () => {
    const withRegie = await scheduledAction(graph, coop.chalets, { districtId: coop.mirail, title: 'Ramassage', partnerIds: [coop.regie] });
    const withoutRegie = await scheduledAction(graph, coop.chalets, { districtId: coop.mirail, title: 'Réunion' });
    const outcome = { participants: 18, notes: 'Quartier propre', completedAt: '2025-06-14T12:00:00Z' };

    const recording = await sendAction(graph, 'completeAction', partnerStaff(coop.regie), {
      id: withRegie.id,
      outcome,
      expectedVersion: withRegie.version,
    });
    // Recorded; the answer shows the partner all but the cost shares.
    const recorded = recording.data!.completeAction;
    expect(recorded).toMatchObject({ status: 'DONE', outcome: { participants: 18, notes: 'Quartier propre' }, costShares: null });
    expect(recording.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([
      ['FORBIDDEN', ['completeAction', 'costShares']],
    ]);

    const refused = await sendAction(graph, 'completeAction', partnerStaff(coop.regie), {
      id: withoutRegie.id,
      outcome,
      expectedVersion: withoutRegie.version,
    });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const cancelByPartner = await sendAction(graph, 'cancelAction', partnerStaff(coop.regie), {
      id: withRegie.id,
      reason: 'Pluie',
      expectedVersion: recorded.version,
    });
    expect(errorCodes(cancelByPartner)).toEqual(['FORBIDDEN']);
    expect(dataOf(await readAction(graph, staffOf(coop.chalets), withoutRegie.id)).action).toMatchObject({
      status: 'SCHEDULED',
      outcome: null,
    });
  });

  it("lists a district's actions soonest first, undated proposals first, filtered by status and period", async () => {
    const spring = await scheduledAction(
      graph,
      coop.languedocienne,
      { districtId: coop.mirail, title: 'Printemps' },
      {
        startsAt: '2025-04-01T08:00:00Z',
        endsAt: '2025-04-01T10:00:00Z',
      },
    );
    const autumn = await scheduledAction(
      graph,
      coop.languedocienne,
      { districtId: coop.mirail, title: 'Automne' },
      {
        startsAt: '2025-10-01T08:00:00Z',
        endsAt: '2025-10-01T10:00:00Z',
      },
    );
    const query = `query ($id: ID!, $status: ActionStatus, $from: DateTime, $to: DateTime) {
      district(id: $id) { actions(status: $status, from: $from, to: $to) { id title startsAt } } }`;
    const list = async (variables: Record<string, unknown>) =>
      dataOf(
        await graph.request<{ district: { actions: { id: string; startsAt: string | null }[] } }>(query, {
          caller: coordinatorOf(coop.mirail),
          variables: { id: coop.mirail, ...variables },
        }),
      ).district.actions;

    const all = await list({});
    expect(all[0]!.id).toBe(joint.id);
    const starts = all.map((action) => action.startsAt).filter((startsAt): startsAt is string => startsAt !== null);
    expect(starts).toEqual([...starts].sort());
    expect(all.some((action) => action.id === nextDoor.id)).toBe(false);

    expect((await list({ status: 'PROPOSED' })).map((action) => action.id)).toEqual([joint.id]);
    const summer = await list({ status: 'SCHEDULED', from: '2025-04-01T08:00:00Z', to: '2025-10-01T08:00:00Z' });
    expect(summer.map((action) => action.id)).toContain(spring.id);
    expect(summer.map((action) => action.id)).not.toContain(autumn.id);
  });

  it("lists a landlord's, a building's and a partner's actions, within the caller's districts", async () => {
    const query = `query ($landlord: ID!, $building: ID!, $partner: ID!) {
      landlord(id: $landlord) { actions { id } }
      building(id: $building) { actions { id } }
      partner(id: $partner) { actions { id } }
    }`;
    interface Lists {
      landlord: { actions: { id: string }[] };
      building: { actions: { id: string }[] };
      partner: { actions: { id: string }[] };
    }
    const variables = { landlord: coop.chalets, building: coop.buildings.chaletsMirail, partner: coop.regie };
    const byAdmin = dataOf(await graph.request<Lists>(query, { caller: TEST_ADMIN, variables }));
    expect(byAdmin.landlord.actions.map((action) => action.id)).toEqual(expect.arrayContaining([joint.id, nextDoor.id]));
    expect(byAdmin.building.actions.map((action) => action.id)).toEqual([joint.id]);
    expect(byAdmin.partner.actions.map((action) => action.id)).toContain(joint.id);

    // A coordinator of Le Mirail sees Groupe des Chalets' actions there, not those in Bellefontaine.
    const byCoordinator = await graph.request<{ landlord: { actions: { id: string }[] } }>(
      'query ($id: ID!) { landlord(id: $id) { actions { id } } }',
      { caller: coordinatorOf(coop.mirail), variables: { id: coop.chalets } },
    );
    const seen = dataOf(byCoordinator).landlord.actions.map((action) => action.id);
    expect(seen).toContain(joint.id);
    expect(seen).not.toContain(nextDoor.id);

    const partnerOfBellefontaine = await graph.request<{ partner: { actions: { id: string }[] } }>(
      'query ($id: ID!) { partner(id: $id) { actions { id } } }',
      { caller: partnerStaff(coop.association), variables: { id: coop.association } },
    );
    expect(dataOf(partnerOfBellefontaine).partner.actions.map((action) => action.id)).toEqual([nextDoor.id]);
  });

  it('reads the actions of every district and landlord with one query on actions each', async () => {
    graph.resetCommands();
    const response = await graph.request<{ districts: { actions: { id: string }[] }[]; landlords: { actions: { id: string }[] }[] }>(
      'query { districts { id actions { id } } landlords { id actions { id } } }',
      { caller: TEST_ADMIN },
    );
    const { districts, landlords } = dataOf(response);
    expect(districts.length).toBeGreaterThanOrEqual(2);
    expect(landlords.length).toBeGreaterThanOrEqual(4);
    const actionQueries = graph.commands.filter((event) => event.commandName === 'find' && event.command.find === 'actions');
    expect(actionQueries).toHaveLength(2);
  });
});
