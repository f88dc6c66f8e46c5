import {
  type ActionView,
  type Cooperation,
  actionAfter,
  coOrganised,
  coordinatorOf,
  createCooperation,
  readAction,
  sendAction,
  staffOf,
} from '../support/actionsFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

describe('actions: the life of a joint action', () => {
  let graph: TestGraph;
  let coop: Cooperation;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  const storedAction = (id: string) => graph.db.collection('actions').findOne({ _id: id as never });
  const propose = (landlordId: string, input: Record<string, unknown> = {}) =>
    actionAfter(graph, 'proposeAction', staffOf(landlordId), {
      input: { districtId: coop.mirail, title: 'Nettoyage des abords', kind: 'CLEAN_UP', ...input },
    });

  it('goes from a proposal, co-organised by an invited landlord, to a scheduled and completed action', async () => {
    const proposed = await propose(coop.chalets, {
      title: '  Journée encombrants  ',
      kind: 'BULKY_WASTE_DAY',
      tfpbAxis: 'WASTE_AND_BULKY_ITEMS',
      buildingIds: [coop.buildings.chaletsMirail, coop.buildings.languedocienneMirail],
      partnerIds: [coop.regie],
      costShareCents: 500_00,
    });
    expect(proposed).toMatchObject({
      title: 'Journée encombrants',
      status: 'PROPOSED',
      version: 1,
      startsAt: null,
      district: { id: coop.mirail, name: 'Le Mirail' },
      buildings: [{ id: coop.buildings.chaletsMirail }, { id: coop.buildings.languedocienneMirail }],
      proposedBy: { id: coop.chalets, name: 'Groupe des Chalets' },
      leadOrganiser: { id: coop.chalets },
      organisers: [{ id: coop.chalets }],
      invitations: [],
      partners: [{ id: coop.regie, name: 'Régie de quartier Reynerie Services' }],
      costShares: [{ landlord: { id: coop.chalets }, amountCents: 500_00 }],
      outcome: null,
    });

    const invited = await actionAfter(graph, 'inviteToAction', staffOf(coop.chalets), {
      id: proposed.id,
      landlordId: coop.languedocienne,
      expectedVersion: 1,
    });
    expect(invited).toMatchObject({
      status: 'PROPOSED',
      version: 2,
      organisers: [{ id: coop.chalets }],
      invitations: [{ landlord: { id: coop.languedocienne }, status: 'PENDING', answeredAt: null }],
    });

    const joined = await actionAfter(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
      id: proposed.id,
      costShareCents: 200_00,
      expectedVersion: 2,
    });
    expect(joined).toMatchObject({
      status: 'PROPOSED',
      version: 3,
      leadOrganiser: { id: coop.chalets },
      organisers: [{ id: coop.chalets }, { id: coop.languedocienne }],
      invitations: [],
      costShares: [
        { landlord: { id: coop.chalets }, amountCents: 500_00 },
        { landlord: { id: coop.languedocienne }, amountCents: 200_00 },
      ],
    });

    const scheduled = await actionAfter(graph, 'scheduleAction', coordinatorOf(coop.mirail), {
      id: proposed.id,
      startsAt: '2025-05-17T08:00:00Z',
      endsAt: '2025-05-17T12:00:00Z',
      expectedVersion: 3,
    });
    expect(scheduled).toMatchObject({
      status: 'SCHEDULED',
      version: 4,
      startsAt: '2025-05-17T08:00:00.000Z',
      endsAt: '2025-05-17T12:00:00.000Z',
    });

    // An organiser may move the dates again.
    const moved = await actionAfter(graph, 'scheduleAction', staffOf(coop.languedocienne), {
      id: proposed.id,
      startsAt: '2025-05-24T08:00:00Z',
      endsAt: '2025-05-24T12:00:00Z',
      expectedVersion: 4,
    });
    expect(moved).toMatchObject({ status: 'SCHEDULED', version: 5, startsAt: '2025-05-24T08:00:00.000Z' });

    const completed = await actionAfter(graph, 'completeAction', staffOf(coop.chalets), {
      id: proposed.id,
      outcome: { participants: 42, notes: ' 3 tonnes collected ', completedAt: '2025-05-24T12:30:00Z' },
      expectedVersion: 5,
    });
    expect(completed).toMatchObject({
      status: 'DONE',
      version: 6,
      outcome: { participants: 42, notes: '3 tonnes collected', completedAt: '2025-05-24T12:30:00.000Z' },
    });

    const readBack = dataOf(await readAction(graph, coordinatorOf(coop.mirail), proposed.id)).action;
    expect(readBack).toMatchObject({ status: 'DONE', version: 6, organisers: completed.organisers, outcome: completed.outcome });
    const stored = await storedAction(proposed.id);
    expect(stored?.audit).toMatchObject({ createdBy: `staff-${coop.chalets}`, updatedBy: `staff-${coop.chalets}` });
  });

  it('completes at the time of the call when no completedAt is given', async () => {
    const proposed = await propose(coop.chalets);
    const scheduled = await actionAfter(graph, 'scheduleAction', staffOf(coop.chalets), {
      id: proposed.id,
      startsAt: '2025-01-10T08:00:00Z',
      endsAt: '2025-01-10T10:00:00Z',
      expectedVersion: 1,
    });
    const before = Date.now();
    const completed = await actionAfter(graph, 'completeAction', staffOf(coop.chalets), {
      id: scheduled.id,
      outcome: { participants: 0 },
      expectedVersion: scheduled.version,
    });
    expect(Date.parse(completed.outcome!.completedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(completed.outcome).toMatchObject({ participants: 0, notes: null });
  });

  it('cancels a proposal with a reason, which only its lead organiser and coordinators may do', async () => {
    const proposed = await propose(coop.chalets);
    const byOutsider = await sendAction(graph, 'cancelAction', staffOf(coop.metropoleHabitat), {
      id: proposed.id,
      reason: 'Pas de budget',
      expectedVersion: 1,
    });
    expect(errorCodes(byOutsider)).toEqual(['FORBIDDEN']);
    const withoutReason = await sendAction(graph, 'cancelAction', staffOf(coop.chalets), {
      id: proposed.id,
      reason: '  ',
      expectedVersion: 1,
    });
    expect(errorCodes(withoutReason)).toEqual(['BAD_USER_INPUT']);

    const cancelled = await actionAfter(graph, 'cancelAction', staffOf(coop.chalets), {
      id: proposed.id,
      reason: 'Arrêté préfectoral canicule',
      expectedVersion: 1,
    });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', version: 2, cancellationReason: 'Arrêté préfectoral canicule' });
  });

  it('closes the pending invitations of an action when it is cancelled or completed, keeping the declined ones', async () => {
    const invitationsOf = (action: ActionView) => action.invitations.map(({ landlord, status }) => ({ landlord: landlord.id, status }));
    const pendingTo = async (landlordId: string) =>
      dataOf(
        await graph.request<{ actionInvitations: { action: { id: string } }[] }>('{ actionInvitations { action { id } } }', {
          caller: staffOf(landlordId),
        }),
      ).actionInvitations.map((invitation) => invitation.action.id);

    // Cancelled: one landlord declined, the other never answered.
    const proposed = await propose(coop.chalets);
    const invitedOne = await actionAfter(graph, 'inviteToAction', staffOf(coop.chalets), {
      id: proposed.id,
      landlordId: coop.languedocienne,
      expectedVersion: proposed.version,
    });
    const invitedBoth = await actionAfter(graph, 'inviteToAction', staffOf(coop.chalets), {
      id: proposed.id,
      landlordId: coop.metropoleHabitat,
      expectedVersion: invitedOne.version,
    });
    // The answer reaches the declining landlord with all but the cost shares, which are the organisers'.
    const answered = (
      await sendAction(graph, 'declineActionInvitation', staffOf(coop.metropoleHabitat), {
        id: proposed.id,
        expectedVersion: invitedBoth.version,
      })
    ).data!.declineActionInvitation;
    const cancelled = await actionAfter(graph, 'cancelAction', staffOf(coop.chalets), {
      id: proposed.id,
      reason: 'Pas de salle disponible',
      expectedVersion: answered.version,
    });
    expect(invitationsOf(cancelled)).toEqual([{ landlord: coop.metropoleHabitat, status: 'DECLINED' }]);
    expect((await storedAction(proposed.id))?.invitations).toEqual([
      expect.objectContaining({ landlordId: coop.metropoleHabitat, status: 'DECLINED' }),
    ]);

    // Completed: the invitation still pending when it took place.
    const scheduled = await actionAfter(graph, 'scheduleAction', staffOf(coop.chalets), {
      id: (await propose(coop.chalets)).id,
      startsAt: '2025-09-06T08:00:00Z',
      endsAt: '2025-09-06T12:00:00Z',
      expectedVersion: 1,
    });
    const invited = await actionAfter(graph, 'inviteToAction', coordinatorOf(coop.mirail), {
      id: scheduled.id,
      landlordId: coop.languedocienne,
      expectedVersion: scheduled.version,
    });
    expect(await pendingTo(coop.languedocienne)).toContain(scheduled.id);
    const completed = await actionAfter(graph, 'completeAction', coordinatorOf(coop.mirail), {
      id: scheduled.id,
      outcome: { participants: 25, completedAt: '2025-09-06T12:00:00Z' },
      expectedVersion: invited.version,
    });
    expect(invitationsOf(completed)).toEqual([]);
    expect(await pendingTo(coop.languedocienne)).not.toContain(scheduled.id);
    expect((await storedAction(scheduled.id))?.invitations).toEqual([]);

    // Answering a closed invitation says why.
    const late = await sendAction(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
      id: scheduled.id,
      expectedVersion: completed.version,
    });
    expect(errorCodes(late)).toEqual(['BAD_USER_INPUT']);
    expect(late.errors?.[0]?.message).toBe('A DONE action cannot be joined: only a PROPOSED or SCHEDULED one can.');
  });

  it('refuses a stale expectedVersion as a CONFLICT and leaves the stored action unchanged', async () => {
    const proposed = await propose(coop.chalets);
    await coOrganised(graph, proposed, coop.languedocienne, 100_00);
    const before = await storedAction(proposed.id);

    const stale = await sendAction(graph, 'scheduleAction', coordinatorOf(coop.mirail), {
      id: proposed.id,
      startsAt: '2025-09-01T08:00:00Z',
      endsAt: '2025-09-01T10:00:00Z',
      expectedVersion: 1,
    });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(3);
    expect(stale.errors?.[0]?.message).toMatch(/version 3/);

    expect(await storedAction(proposed.id)).toEqual(before);
    const readBack = dataOf(await readAction(graph, staffOf(coop.chalets), proposed.id)).action;
    expect(readBack).toMatchObject({ status: 'PROPOSED', version: 3, startsAt: null });
  });

  it('refuses a change its status does not allow as BAD_USER_INPUT, leaving the action unchanged', async () => {
    const proposed = await propose(coop.chalets);
    const completeProposed = await sendAction(graph, 'completeAction', coordinatorOf(coop.mirail), {
      id: proposed.id,
      outcome: { participants: 10 },
      expectedVersion: 1,
    });
    expect(errorCodes(completeProposed)).toEqual(['BAD_USER_INPUT']);
    expect(completeProposed.errors?.[0]?.message).toBe('A PROPOSED action cannot be completed: only a SCHEDULED one can.');

    await actionAfter(graph, 'inviteToAction', staffOf(coop.chalets), {
      id: proposed.id,
      landlordId: coop.languedocienne,
      expectedVersion: 1,
    });
    await actionAfter(graph, 'cancelAction', coordinatorOf(coop.mirail), { id: proposed.id, reason: 'Doublon', expectedVersion: 2 });
    const before = await storedAction(proposed.id);
    const scheduleCancelled = await sendAction(graph, 'scheduleAction', staffOf(coop.chalets), {
      id: proposed.id,
      startsAt: '2025-09-01T08:00:00Z',
      endsAt: '2025-09-01T10:00:00Z',
      expectedVersion: 3,
    });
    expect(errorCodes(scheduleCancelled)).toEqual(['BAD_USER_INPUT']);
    const acceptCancelled = await sendAction(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
      id: proposed.id,
      expectedVersion: 3,
    });
    expect(errorCodes(acceptCancelled)).toEqual(['BAD_USER_INPUT']);
    expect(acceptCancelled.errors?.[0]?.message).toBe('A CANCELLED action cannot be joined: only a PROPOSED or SCHEDULED one can.');
    const inviteCancelled = await sendAction(graph, 'inviteToAction', coordinatorOf(coop.mirail), {
      id: proposed.id,
      landlordId: coop.metropoleHabitat,
      expectedVersion: 3,
    });
    expect(errorCodes(inviteCancelled)).toEqual(['BAD_USER_INPUT']);
    expect(await storedAction(proposed.id)).toEqual(before);
  });

  it('returns the action first created when a proposal is replayed with the same clientMutationId', async () => {
    const input = { clientMutationId: 'tablet-42:proposal-7', title: 'Fête des voisins', kind: 'SOCIAL_EVENT' };
    const first = await propose(coop.chalets, input);
    const replays = await Promise.all([propose(coop.chalets, input), propose(coop.chalets, input), propose(coop.chalets, input)]);
    expect(replays.map((replay) => replay.id)).toEqual([first.id, first.id, first.id]);
    expect(await graph.db.collection('actions').countDocuments({ clientMutationId: input.clientMutationId })).toBe(1);

    // The key is the proposing landlord's: another landlord's same key is another action.
    const other = await propose(coop.languedocienne, input);
    expect(other.id).not.toBe(first.id);
    // An admin acting for the landlord replays the same proposal.
    const byAdmin = await actionAfter(graph, 'proposeAction', TEST_ADMIN, {
      input: { districtId: coop.mirail, landlordId: coop.chalets, ...input },
    });
    expect(byAdmin.id).toBe(first.id);
  });

  describe('refuses invalid proposals and changes, storing nothing', () => {
    const invalidProposals: [string, (coop: Cooperation) => Record<string, unknown>, string][] = [
      ['an empty title', () => ({ title: '   ' }), 'BAD_USER_INPUT'],
      ['a building of another district', (c) => ({ buildingIds: [c.buildings.chaletsBellefontaine] }), 'BAD_USER_INPUT'],
      ['a partner not serving the district', (c) => ({ partnerIds: [c.association] }), 'BAD_USER_INPUT'],
      ['a negative cost share', () => ({ costShareCents: -100 }), 'BAD_USER_INPUT'],
      ['an unknown district', () => ({ districtId: 'no-such-district' }), 'NOT_FOUND'],
      ['an unknown building', () => ({ buildingIds: ['no-such-building'] }), 'NOT_FOUND'],
      ['an unknown partner', () => ({ partnerIds: ['no-such-partner'] }), 'NOT_FOUND'],
    ];

    it.each(invalidProposals)('a proposal with %s', async (_, override, code) => {
      const count = await graph.db.collection('actions').countDocuments();
      const response = await sendAction(graph, 'proposeAction', staffOf(coop.chalets), {
        input: { districtId: coop.mirail, title: 'Action', kind: 'OTHER', ...override(coop) },
      });
      expect(errorCodes(response)).toEqual([code]);
      expect(await graph.db.collection('actions').countDocuments()).toBe(count);
    });

    it('a proposal by a landlord without buildings in the district, a coordinator, or an admin naming no landlord', async () => {
      const input = { districtId: coop.mirail, title: 'Action', kind: 'OTHER' };
      // To a landlord of Bellefontaine only, Le Mirail is a district it does not know of.
      expect(errorCodes(await sendAction(graph, 'proposeAction', staffOf(coop.neighbour), { input }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await sendAction(graph, 'proposeAction', coordinatorOf(coop.mirail), { input }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await sendAction(graph, 'proposeAction', TEST_ADMIN, { input }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await sendAction(graph, 'proposeAction', TEST_ADMIN, { input: { ...input, landlordId: coop.neighbour } }))).toEqual(
        ['BAD_USER_INPUT'],
      );
      expect(errorCodes(await sendAction(graph, 'proposeAction', TEST_ADMIN, { input: { ...input, landlordId: 'nobody' } }))).toEqual([
        'NOT_FOUND',
      ]);
    });

    it('a schedule ending before it starts, a negative cost share on accepting, negative participants', async () => {
      const proposed: ActionView = await propose(coop.chalets);
      const invited = await actionAfter(graph, 'inviteToAction', staffOf(coop.chalets), {
        id: proposed.id,
        landlordId: coop.languedocienne,
        expectedVersion: 1,
      });
      const before = await storedAction(proposed.id);
      const backwards = await sendAction(graph, 'scheduleAction', staffOf(coop.chalets), {
        id: proposed.id,
        startsAt: '2025-09-01T10:00:00Z',
        endsAt: '2025-09-01T08:00:00Z',
        expectedVersion: invited.version,
      });
      expect(errorCodes(backwards)).toEqual(['BAD_USER_INPUT']);
      const negativeShare = await sendAction(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
        id: proposed.id,
        costShareCents: -1,
        expectedVersion: invited.version,
      });
      expect(errorCodes(negativeShare)).toEqual(['BAD_USER_INPUT']);
      // An action of Le Mirail is not one a landlord of Bellefontaine only knows of.
      const byNeighbour = await sendAction(graph, 'joinAction', staffOf(coop.neighbour), {
        id: proposed.id,
        expectedVersion: invited.version,
      });
      expect(errorCodes(byNeighbour)).toEqual(['NOT_FOUND']);
      expect(await storedAction(proposed.id)).toEqual(before);

      const scheduled = await actionAfter(graph, 'scheduleAction', staffOf(coop.chalets), {
        id: proposed.id,
        startsAt: '2025-09-01T08:00:00Z',
        endsAt: '2025-09-01T10:00:00Z',
        expectedVersion: invited.version,
      });
      const negativeParticipants = await sendAction(graph, 'completeAction', staffOf(coop.chalets), {
        id: proposed.id,
        outcome: { participants: -3 },
        expectedVersion: scheduled.version,
      });
      expect(errorCodes(negativeParticipants)).toEqual(['BAD_USER_INPUT']);
      const beforeStart = await sendAction(graph, 'completeAction', staffOf(coop.chalets), {
        id: proposed.id,
        outcome: { participants: 3, completedAt: '2025-08-31T10:00:00Z' },
        expectedVersion: scheduled.version,
      });
      expect(errorCodes(beforeStart)).toEqual(['BAD_USER_INPUT']);
    });

    it('a change of an unknown action', async () => {
      const response = await sendAction(graph, 'cancelAction', coordinatorOf(coop.mirail), {
        id: 'no-such-action',
        reason: 'x',
        expectedVersion: 1,
      });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    });
  });
});
