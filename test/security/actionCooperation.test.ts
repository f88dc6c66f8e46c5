import type { Caller } from '../../lib/auth/caller';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import {
  type ActionMutation,
  type ActionView,
  type Cooperation,
  actionAfter,
  coOrganised,
  coordinatorOf,
  createCooperation,
  partnerStaff,
  readAction,
  sendAction,
  staffOf,
} from '../support/actionsFixtures';
import { registerBuilding, registerLandlord } from '../support/housingFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * The cooperation rules of a joint action, attacked through the real gateway. The finding this answers: staff of a
 * landlord of the district joined an action two other landlords organised, with a share of 0, then read every
 * organiser's cost share and cancelled the action. Landlords now join by invitation; the proposer leads; cost shares
 * are for the organisers, the district's coordinators and admins; only the lead or a coordinator cancels.
 */
describe('security: who co-organises a joint action', () => {
  let graph: TestGraph;
  let coop: Cooperation;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  const storedAction = (id: string) => graph.db.collection(COLLECTIONS.actions).findOne({ _id: id as never });
  const lead = () => staffOf(coop.chalets);

  /** A proposal of Groupe des Chalets (the lead) in Le Mirail, with its share. */
  const propose = (input: Record<string, unknown> = {}) =>
    actionAfter(graph, 'proposeAction', lead(), {
      input: { districtId: coop.mirail, title: 'Fête de quartier', kind: 'SOCIAL_EVENT', costShareCents: 400_00, ...input },
    });

  /** Proposed by Groupe des Chalets, co-organised by Patrimoine SA Languedocienne: Toulouse Métropole Habitat is neither. */
  const organisedByTwo = async () => coOrganised(graph, await propose(), coop.languedocienne, 250_00);

  const invite = (action: Pick<ActionView, 'id' | 'version'>, landlordId: string, caller: Caller = lead()) =>
    actionAfter(graph, 'inviteToAction', caller, { id: action.id, landlordId, expectedVersion: action.version });

  describe('the finding: a landlord of the district that organises nothing', () => {
    const intruder = () => staffOf(coop.metropoleHabitat);

    it.each(['gateway', 'actions'] as const)('cannot join uninvited, with a share of 0 or any other (%s)', async (target) => {
      const action = await organisedByTwo();
      const before = await storedAction(action.id);
      const url = target === 'gateway' ? undefined : graph.subgraphUrls.actions;
      for (const costShareCents of [0, 100, null]) {
        const response = await graph.request<{ joinAction: { id: string } | null }>(
          'mutation ($id: ID!, $costShareCents: Int, $expectedVersion: Int!) { joinAction(id: $id, costShareCents: $costShareCents, expectedVersion: $expectedVersion) { id } }',
          { caller: intruder(), variables: { id: action.id, costShareCents, expectedVersion: action.version }, url },
        );
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
        expect(response.errors?.[0]?.message).toMatch(/landlords join an action by invitation/);
        expect(response.data?.joinAction ?? null).toBeNull();
      }
      const accept = await sendAction(graph, 'acceptActionInvitation', intruder(), {
        id: action.id,
        costShareCents: 0,
        expectedVersion: action.version,
      });
      expect(errorCodes(accept)).toEqual(['FORBIDDEN']);
      expect(await storedAction(action.id)).toEqual(before);
    });

    it("reads the action but no organiser's cost share", async () => {
      const action = await organisedByTwo();
      for (const caller of [intruder(), partnerStaff(coop.regie)]) {
        const response = await readAction(graph, caller, action.id);
        expect(response.data?.action).toMatchObject({
          id: action.id,
          organisers: [{ id: coop.chalets }, { id: coop.languedocienne }],
          costShares: null,
        });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(response)).not.toMatch(/amountCents|40000|25000/);
      }
    });

    it('cannot cancel the action, nor invite, nor leave it', async () => {
      const action = await organisedByTwo();
      const before = await storedAction(action.id);
      const attempts: [ActionMutation, Record<string, unknown>][] = [
        ['cancelAction', { reason: 'Annulée', expectedVersion: action.version }],
        ['inviteToAction', { landlordId: coop.metropoleHabitat, expectedVersion: action.version }],
        ['leaveAction', { expectedVersion: action.version }],
        ['leaveAction', { expectedVersion: action.version, landlordId: coop.languedocienne }],
      ];
      for (const [mutation, variables] of attempts) {
        expect(errorCodes(await sendAction(graph, mutation, intruder(), { id: action.id, ...variables }))).toEqual(['FORBIDDEN']);
      }
      expect(await storedAction(action.id)).toEqual(before);
    });
  });

  describe('invitations', () => {
    it('lets an invited landlord accept with its share, seen then by every organiser', async () => {
      const proposed = await propose();
      const invited = await invite(proposed, coop.metropoleHabitat);
      expect(invited).toMatchObject({ version: 2, invitations: [{ landlord: { id: coop.metropoleHabitat }, status: 'PENDING' }] });
      const joined = await actionAfter(graph, 'acceptActionInvitation', staffOf(coop.metropoleHabitat), {
        id: proposed.id,
        costShareCents: 150_00,
        expectedVersion: 2,
      });
      expect(joined).toMatchObject({
        version: 3,
        leadOrganiser: { id: coop.chalets },
        organisers: [{ id: coop.chalets }, { id: coop.metropoleHabitat }],
        invitations: [],
        costShares: [
          { landlord: { id: coop.chalets }, amountCents: 400_00 },
          { landlord: { id: coop.metropoleHabitat }, amountCents: 150_00 },
        ],
      });
      expect(dataOf(await readAction(graph, lead(), proposed.id)).action?.costShares).toEqual(joined.costShares);
    });

    it('keeps a landlord that declined out: it cannot join, until an organiser invites it again', async () => {
      const proposed = await propose();
      const invited = await invite(proposed, coop.metropoleHabitat);
      const declining = await sendAction(graph, 'declineActionInvitation', staffOf(coop.metropoleHabitat), {
        id: proposed.id,
        expectedVersion: invited.version,
      });
      // Declined; the answer shows the landlord, which organises nothing, all but the cost shares.
      expect(errorCodes(declining)).toEqual(['FORBIDDEN']);
      const declined = declining.data!.declineActionInvitation;
      expect(declined).toMatchObject({ version: invited.version + 1, organisers: [{ id: coop.chalets }], costShares: null });
      expect(declined.invitations).toEqual([
        { landlord: { id: coop.metropoleHabitat }, status: 'DECLINED', invitedAt: expect.any(String), answeredAt: expect.any(String) },
      ]);
      const before = await storedAction(proposed.id);
      for (const mutation of ['acceptActionInvitation', 'joinAction', 'declineActionInvitation'] as const) {
        const response = await sendAction(graph, mutation, staffOf(coop.metropoleHabitat), {
          id: proposed.id,
          expectedVersion: declined.version,
        });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      }
      expect(await storedAction(proposed.id)).toEqual(before);

      const again = await invite(declined, coop.metropoleHabitat);
      expect(again.invitations).toEqual([
        { landlord: { id: coop.metropoleHabitat }, status: 'PENDING', invitedAt: expect.any(String), answeredAt: null },
      ]);
      // The deprecated joinAction accepts a pending invitation, as acceptActionInvitation does.
      const joined = await actionAfter(graph, 'joinAction', staffOf(coop.metropoleHabitat), {
        id: proposed.id,
        costShareCents: 0,
        expectedVersion: again.version,
      });
      expect(joined.organisers).toEqual([{ id: coop.chalets }, { id: coop.metropoleHabitat }]);
    });

    it('invites landlords of the district only, each once, never an organiser', async () => {
      const action = await organisedByTwo();
      const before = await storedAction(action.id);
      const attempts: [string, string, Caller][] = [
        // Habitat Voisin has buildings in Bellefontaine only: a mistake to the lead, which has some there too; to Le
        // Mirail's coordinator, a landlord it does not know of, answered as one that does not exist.
        [coop.neighbour, 'BAD_USER_INPUT', lead()],
        [coop.neighbour, 'NOT_FOUND', coordinatorOf(coop.mirail)],
        ['no-such-landlord', 'NOT_FOUND', lead()],
        [coop.languedocienne, 'CONFLICT', lead()],
        [coop.chalets, 'CONFLICT', staffOf(coop.languedocienne)],
      ];
      for (const [landlordId, code, caller] of attempts) {
        const response = await sendAction(graph, 'inviteToAction', caller, { id: action.id, landlordId, expectedVersion: action.version });
        expect([landlordId, errorCodes(response)]).toEqual([landlordId, [code]]);
      }
      expect(await storedAction(action.id)).toEqual(before);

      const invited = await invite(action, coop.metropoleHabitat, staffOf(coop.languedocienne));
      const twice = await sendAction(graph, 'inviteToAction', coordinatorOf(coop.mirail), {
        id: action.id,
        landlordId: coop.metropoleHabitat,
        expectedVersion: invited.version,
      });
      expect(errorCodes(twice)).toEqual(['CONFLICT']);
      // A coordinator of another district: an action of Le Mirail is one it does not know of.
      const byOtherCoordinator = await sendAction(graph, 'inviteToAction', coordinatorOf(coop.bellefontaine), {
        id: action.id,
        landlordId: coop.metropoleHabitat,
        expectedVersion: invited.version,
      });
      expect(errorCodes(byOtherCoordinator)).toEqual(['NOT_FOUND']);
    });

    it('shows all invitations to the organisers, the coordinator and admins; its own to an invited landlord; none to others', async () => {
      const proposed = await propose();
      const first = await invite(proposed, coop.metropoleHabitat);
      const both = await invite(first, coop.languedocienne, coordinatorOf(coop.mirail));
      const invitedLandlords = async (caller: Caller) =>
        dataOf(
          await graph.request<{ action: { invitations: { landlord: { id: string } }[] } }>(
            'query ($id: ID!) { action(id: $id) { invitations { landlord { id } } } }',
            { caller, variables: { id: both.id } },
          ),
        ).action.invitations.map((invitation) => invitation.landlord.id);

      for (const caller of [lead(), coordinatorOf(coop.mirail), TEST_ADMIN]) {
        expect(await invitedLandlords(caller)).toEqual([coop.metropoleHabitat, coop.languedocienne]);
      }
      expect(await invitedLandlords(staffOf(coop.metropoleHabitat))).toEqual([coop.metropoleHabitat]);
      expect(await invitedLandlords(staffOf(coop.languedocienne))).toEqual([coop.languedocienne]);
      expect(await invitedLandlords(partnerStaff(coop.regie))).toEqual([]);
    });

    it("lists the caller's pending invitations to actions still to come, where its staff find what to answer", async () => {
      const query =
        'query ($landlordId: ID) { actionInvitations(landlordId: $landlordId) { status action { id title leadOrganiser { id } } } }';
      const pendingOf = async (caller: Caller, landlordId?: string) =>
        graph.request<{ actionInvitations: { status: string; action: { id: string; title: string } }[] }>(query, {
          caller,
          variables: { landlordId },
        });
      const earlier = dataOf(await pendingOf(staffOf(coop.metropoleHabitat))).actionInvitations.map((invitation) => invitation.action.id);

      const open = await invite(await propose({ title: 'Repair café' }), coop.metropoleHabitat);
      const cancelledLater = await invite(await propose({ title: 'Loto' }), coop.metropoleHabitat);
      await actionAfter(graph, 'cancelAction', lead(), {
        id: cancelledLater.id,
        reason: 'Salle indisponible',
        expectedVersion: cancelledLater.version,
      });

      const mine = dataOf(await pendingOf(staffOf(coop.metropoleHabitat))).actionInvitations;
      expect(mine.filter((invitation) => !earlier.includes(invitation.action.id))).toEqual([
        { status: 'PENDING', action: { id: open.id, title: 'Repair café', leadOrganiser: { id: coop.chalets } } },
      ]);
      expect(dataOf(await pendingOf(TEST_ADMIN, coop.metropoleHabitat)).actionInvitations).toEqual(mine);
      expect(errorCodes(await pendingOf(TEST_ADMIN))).toEqual(['BAD_USER_INPUT']);
      for (const caller of [staffOf(coop.languedocienne), coordinatorOf(coop.mirail), partnerStaff(coop.regie)]) {
        expect(errorCodes(await pendingOf(caller, coop.metropoleHabitat))).toEqual(['FORBIDDEN']);
      }
    });
  });

  describe('organisers other than the lead', () => {
    it('cannot cancel; can leave before the action is done, their share going with them', async () => {
      const action = await organisedByTwo();
      const coOrganiser = staffOf(coop.languedocienne);
      const cancel = await sendAction(graph, 'cancelAction', coOrganiser, {
        id: action.id,
        reason: 'Plus de budget',
        expectedVersion: action.version,
      });
      expect(errorCodes(cancel)).toEqual(['FORBIDDEN']);

      const scheduled = await actionAfter(graph, 'scheduleAction', coOrganiser, {
        id: action.id,
        startsAt: '2026-06-20T14:00:00Z',
        endsAt: '2026-06-20T18:00:00Z',
        expectedVersion: action.version,
      });
      const afterLeaving = await sendAction(graph, 'leaveAction', coOrganiser, { id: action.id, expectedVersion: scheduled.version });
      // The landlord that left no longer reads the cost shares.
      expect(afterLeaving.data?.leaveAction).toMatchObject({ status: 'SCHEDULED', organisers: [{ id: coop.chalets }], costShares: null });
      expect(errorCodes(afterLeaving)).toEqual(['FORBIDDEN']);
      expect(await storedAction(action.id)).toMatchObject({
        organiserIds: [coop.chalets],
        costShares: [{ landlordId: coop.chalets, amountCents: 400_00 }],
      });
      expect(dataOf(await readAction(graph, lead(), action.id)).action?.costShares).toEqual([
        { landlord: { id: coop.chalets }, amountCents: 400_00 },
      ]);

      // Leaving again, or cancelling now, is refused.
      const version = afterLeaving.data!.leaveAction.version;
      expect(errorCodes(await sendAction(graph, 'leaveAction', coOrganiser, { id: action.id, expectedVersion: version }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(
        errorCodes(await sendAction(graph, 'cancelAction', coOrganiser, { id: action.id, reason: 'x', expectedVersion: version })),
      ).toEqual(['FORBIDDEN']);
    });

    it('cannot leave a done action', async () => {
      const action = await organisedByTwo();
      const scheduled = await actionAfter(graph, 'scheduleAction', lead(), {
        id: action.id,
        startsAt: '2025-06-20T14:00:00Z',
        endsAt: '2025-06-20T18:00:00Z',
        expectedVersion: action.version,
      });
      const done = await actionAfter(graph, 'completeAction', lead(), {
        id: action.id,
        outcome: { participants: 60 },
        expectedVersion: scheduled.version,
      });
      const leaving = await sendAction(graph, 'leaveAction', staffOf(coop.languedocienne), {
        id: action.id,
        expectedVersion: done.version,
      });
      expect(errorCodes(leaving)).toEqual(['BAD_USER_INPUT']);
      expect(leaving.errors?.[0]?.message).toBe('A DONE action cannot be left: only a PROPOSED or SCHEDULED one can.');
    });
  });

  describe('the lead organiser and the coordinator', () => {
    it('the lead cannot leave its action; it cancels it', async () => {
      const action = await organisedByTwo();
      const before = await storedAction(action.id);
      const leaving = await sendAction(graph, 'leaveAction', lead(), { id: action.id, expectedVersion: action.version });
      expect(errorCodes(leaving)).toEqual(['BAD_USER_INPUT']);
      expect(leaving.errors?.[0]?.message).toMatch(/lead organiser cannot leave/);
      const byAdmin = await sendAction(graph, 'leaveAction', TEST_ADMIN, {
        id: action.id,
        expectedVersion: action.version,
        landlordId: coop.chalets,
      });
      expect(errorCodes(byAdmin)).toEqual(['BAD_USER_INPUT']);
      expect(await storedAction(action.id)).toEqual(before);

      const cancelled = await actionAfter(graph, 'cancelAction', lead(), {
        id: action.id,
        reason: 'Report en septembre',
        expectedVersion: action.version,
      });
      expect(cancelled.status).toBe('CANCELLED');
    });

    it("the district's coordinator invites and cancels", async () => {
      const proposed = await propose();
      const coordinator = coordinatorOf(coop.mirail);
      const invited = await invite(proposed, coop.languedocienne, coordinator);
      expect(invited.invitations).toMatchObject([{ landlord: { id: coop.languedocienne }, status: 'PENDING' }]);
      const joined = await actionAfter(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
        id: proposed.id,
        expectedVersion: invited.version,
      });
      expect(joined.costShares).toEqual([
        { landlord: { id: coop.chalets }, amountCents: 400_00 },
        { landlord: { id: coop.languedocienne }, amountCents: 0 },
      ]);
      // To Bellefontaine's coordinator, an action of Le Mirail is one it does not know of.
      expect(
        errorCodes(
          await sendAction(graph, 'cancelAction', coordinatorOf(coop.bellefontaine), {
            id: proposed.id,
            reason: 'x',
            expectedVersion: joined.version,
          }),
        ),
      ).toEqual(['NOT_FOUND']);
      const cancelled = await actionAfter(graph, 'cancelAction', coordinator, {
        id: proposed.id,
        reason: 'Arrêté préfectoral',
        expectedVersion: joined.version,
      });
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Arrêté préfectoral', organisers: joined.organisers });
    });
  });

  describe('concurrency', () => {
    /** Every step, sent with the version before the last change: each answers CONFLICT and changes nothing. */
    it('answers CONFLICT, with the current version, to every step sent with a stale expectedVersion', async () => {
      const proposed = await propose();
      const invited = await invite(proposed, coop.languedocienne);
      const withTwoInvited = await invite(invited, coop.metropoleHabitat);
      const stale = withTwoInvited.version - 1;
      // A landlord of Le Mirail not yet invited, so that the only refusal left is the stale version.
      const newcomer = await registerLandlord(graph, 'Les Chalets Coopératifs');
      await registerBuilding(graph, newcomer, coop.mirail, 'Gluck');
      const steps: [ActionMutation, Caller, Record<string, unknown>][] = [
        ['inviteToAction', coordinatorOf(coop.mirail), { landlordId: newcomer }],
        ['acceptActionInvitation', staffOf(coop.languedocienne), { costShareCents: 10_00 }],
        ['joinAction', staffOf(coop.languedocienne), { costShareCents: 10_00 }],
        ['declineActionInvitation', staffOf(coop.metropoleHabitat), {}],
        ['scheduleAction', lead(), { startsAt: '2025-09-01T08:00:00Z', endsAt: '2025-09-01T10:00:00Z' }],
        ['cancelAction', lead(), { reason: 'Doublon' }],
      ];
      const before = await storedAction(proposed.id);
      for (const [mutation, caller, variables] of steps) {
        const response = await sendAction(graph, mutation, caller, { id: proposed.id, expectedVersion: stale, ...variables });
        expect([mutation, errorCodes(response)]).toEqual([mutation, ['CONFLICT']]);
        expect(response.errors?.[0]?.extensions?.currentVersion).toBe(withTwoInvited.version);
      }
      expect(await storedAction(proposed.id)).toEqual(before);

      // Leaving and completing, further along.
      const joined = await actionAfter(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
        id: proposed.id,
        expectedVersion: withTwoInvited.version,
      });
      const scheduled = await actionAfter(graph, 'scheduleAction', lead(), {
        id: proposed.id,
        startsAt: '2025-09-01T08:00:00Z',
        endsAt: '2025-09-01T10:00:00Z',
        expectedVersion: joined.version,
      });
      const beforeLater = await storedAction(proposed.id);
      for (const [mutation, caller, variables] of [
        ['leaveAction', staffOf(coop.languedocienne), {}],
        ['completeAction', lead(), { outcome: { participants: 12 } }],
      ] as [ActionMutation, Caller, Record<string, unknown>][]) {
        const response = await sendAction(graph, mutation, caller, { id: proposed.id, expectedVersion: joined.version, ...variables });
        expect([mutation, errorCodes(response)]).toEqual([mutation, ['CONFLICT']]);
        expect(response.errors?.[0]?.extensions?.currentVersion).toBe(scheduled.version);
      }
      expect(await storedAction(proposed.id)).toEqual(beforeLater);
    });

    it('lets one of two accepts sent at once through; the other is a CONFLICT, its invitation still pending', async () => {
      const proposed = await propose();
      const invited = await invite(await invite(proposed, coop.languedocienne), coop.metropoleHabitat);
      const [first, second] = await Promise.all([
        sendAction(graph, 'acceptActionInvitation', staffOf(coop.languedocienne), {
          id: proposed.id,
          costShareCents: 200_00,
          expectedVersion: invited.version,
        }),
        sendAction(graph, 'acceptActionInvitation', staffOf(coop.metropoleHabitat), {
          id: proposed.id,
          costShareCents: 300_00,
          expectedVersion: invited.version,
        }),
      ]);
      expect([first, second].map((response) => (response.errors ? errorCodes(response)[0] : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);

      const [winner, loser] = first.errors ? [coop.metropoleHabitat, coop.languedocienne] : [coop.languedocienne, coop.metropoleHabitat];
      const stored = await storedAction(proposed.id);
      expect(stored).toMatchObject({
        version: invited.version + 1,
        organiserIds: [coop.chalets, winner],
        invitations: [expect.objectContaining({ landlordId: loser, status: 'PENDING' })],
      });
      expect(stored?.costShares).toHaveLength(2);

      // Read again, the other accepts too: nothing of the first was lost.
      const both = await actionAfter(graph, 'acceptActionInvitation', staffOf(loser), {
        id: proposed.id,
        costShareCents: 50_00,
        expectedVersion: invited.version + 1,
      });
      expect(both.organisers).toEqual([{ id: coop.chalets }, { id: winner }, { id: loser }]);
      expect(both.costShares).toHaveLength(3);
    });

    it('lets one of two invitations sent at once through; the other is a CONFLICT', async () => {
      const proposed = await propose();
      const [first, second] = await Promise.all([
        sendAction(graph, 'inviteToAction', lead(), {
          id: proposed.id,
          landlordId: coop.languedocienne,
          expectedVersion: proposed.version,
        }),
        sendAction(graph, 'inviteToAction', coordinatorOf(coop.mirail), {
          id: proposed.id,
          landlordId: coop.metropoleHabitat,
          expectedVersion: proposed.version,
        }),
      ]);
      expect([first, second].map((response) => (response.errors ? errorCodes(response)[0] : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
      const stored = await storedAction(proposed.id);
      expect(stored?.version).toBe(proposed.version + 1);
      expect(stored?.invitations).toHaveLength(1);
    });
  });
});
