import {
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
import type { Caller } from '../../lib/auth/caller';
import { registerPartner } from '../support/partnersFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * What changes in a joint action after its proposal, while it is still to come: each organiser's cost share, which the
 * TFPB report then counts, and the partners of the district taking part.
 */

const TFPB_TOTAL = `query ($landlordId: ID!, $districtId: ID!, $year: Int!) {
  tfpbReport(landlordId: $landlordId, districtId: $districtId, year: $year) { totalCostCents }
}`;

/** 'OK', or the code of the first error: what each of two writers sent at once got. */
const outcomeOf = (response: GraphQLResponse<unknown>) => (response.errors ? errorCodes(response)[0] : 'OK');

describe('actions: changing cost shares and partners after the proposal', () => {
  let graph: TestGraph;
  let coop: Cooperation;
  /** A second partner serving Le Mirail, beside the régie. */
  let mediators: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
    mediators = await registerPartner(graph, {
      name: 'Médiateurs de la Reynerie',
      kind: 'ASSOCIATION',
      services: ['MEDIATION'],
      districtIds: [coop.mirail],
    });
  });

  afterAll(async () => {
    await graph.close();
  });

  const storedAction = (id: string) => graph.db.collection('actions').findOne({ _id: id as never });
  const lead = () => staffOf(coop.chalets);
  const propose = (input: Record<string, unknown> = {}) =>
    actionAfter(graph, 'proposeAction', lead(), {
      input: { districtId: coop.mirail, title: 'Fête de quartier', kind: 'SOCIAL_EVENT', costShareCents: 300_00, ...input },
    });
  const tfpbTotal = async (landlordId: string, year: number) =>
    dataOf(
      await graph.request<{ tfpbReport: { totalCostCents: number } }>(TFPB_TOTAL, {
        caller: TEST_ADMIN,
        variables: { landlordId, districtId: coop.mirail, year },
      }),
    ).tfpbReport.totalCostCents;

  describe('cost shares', () => {
    it('lets each organiser change its own share until the action is over, and the TFPB report counts the share it ends with', async () => {
      const proposed = await propose({ tfpbAxis: 'SOCIAL_LIFE' });
      const coOrganisedAction = await coOrganised(graph, proposed, coop.languedocienne, 100_00);

      // The lead after proposing, a co-organiser (here through an admin naming it) after accepting.
      const leadChanged = await actionAfter(graph, 'changeCostShare', lead(), {
        id: proposed.id,
        costShareCents: 350_00,
        expectedVersion: coOrganisedAction.version,
      });
      expect(leadChanged).toMatchObject({
        version: coOrganisedAction.version + 1,
        status: 'PROPOSED',
        organisers: [{ id: coop.chalets }, { id: coop.languedocienne }],
        costShares: [
          { landlord: { id: coop.chalets }, amountCents: 350_00 },
          { landlord: { id: coop.languedocienne }, amountCents: 100_00 },
        ],
      });
      const audit = await graph.request<{ action: { audit: { updatedBy: string; createdBy: string } } }>(
        'query ($id: ID!) { action(id: $id) { audit { createdBy updatedBy } } }',
        { caller: TEST_ADMIN, variables: { id: proposed.id } },
      );
      expect(dataOf(audit).action.audit).toEqual({ createdBy: lead().sub, updatedBy: lead().sub });

      const scheduled = await actionAfter(graph, 'scheduleAction', coordinatorOf(coop.mirail), {
        id: proposed.id,
        startsAt: '2024-06-01T14:00:00Z',
        endsAt: '2024-06-01T20:00:00Z',
        expectedVersion: leadChanged.version,
      });
      const coOrganiserChanged = await actionAfter(graph, 'changeCostShare', TEST_ADMIN, {
        id: proposed.id,
        costShareCents: 0,
        landlordId: coop.languedocienne,
        expectedVersion: scheduled.version,
      });
      expect(coOrganiserChanged.status).toBe('SCHEDULED');
      expect(coOrganiserChanged.costShares).toEqual([
        { landlord: { id: coop.chalets }, amountCents: 350_00 },
        { landlord: { id: coop.languedocienne }, amountCents: 0 },
      ]);
      expect((await storedAction(proposed.id))?.audit).toMatchObject({ updatedBy: TEST_ADMIN.sub });
      const done = await actionAfter(graph, 'completeAction', lead(), {
        id: proposed.id,
        outcome: { participants: 60, completedAt: '2024-06-01T20:00:00Z' },
        expectedVersion: coOrganiserChanged.version,
      });

      expect(await tfpbTotal(coop.chalets, 2024)).toBe(350_00);
      expect(await tfpbTotal(coop.languedocienne, 2024)).toBe(0);

      // Done, the shares are what the report counted: they no longer change.
      const before = await storedAction(proposed.id);
      const late = await sendAction(graph, 'changeCostShare', lead(), {
        id: proposed.id,
        costShareCents: 1,
        expectedVersion: done.version,
      });
      expect(errorCodes(late)).toEqual(['BAD_USER_INPUT']);
      expect(late.errors?.[0]?.message).toBe('A DONE action cannot have its cost shares changed: only a PROPOSED or SCHEDULED one can.');
      expect(await storedAction(proposed.id)).toEqual(before);
    });

    it('is refused once the action is cancelled', async () => {
      const proposed = await propose();
      const cancelled = await actionAfter(graph, 'cancelAction', lead(), { id: proposed.id, reason: 'Doublon', expectedVersion: 1 });
      const response = await sendAction(graph, 'changeCostShare', lead(), {
        id: proposed.id,
        costShareCents: 10_00,
        expectedVersion: cancelled.version,
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    });

    it("is the organiser's own: not the district's coordinator's, nor another organiser's, nor a landlord's that organises nothing", async () => {
      const action = await coOrganised(graph, await propose(), coop.languedocienne, 100_00);
      const before = await storedAction(action.id);
      const attempts: [string, Caller, string | undefined][] = [
        ['the coordinator, for the lead', coordinatorOf(coop.mirail), coop.chalets],
        ["a co-organiser's staff, for the lead", staffOf(coop.languedocienne), coop.chalets],
        ['a landlord of the district organising nothing, for itself', staffOf(coop.metropoleHabitat), undefined],
      ];
      for (const [who, caller, landlordId] of attempts) {
        const response = await sendAction(graph, 'changeCostShare', caller, {
          id: action.id,
          costShareCents: 1,
          expectedVersion: action.version,
          landlordId,
        });
        expect([who, errorCodes(response)]).toEqual([who, ['FORBIDDEN']]);
      }
      expect(await storedAction(action.id)).toEqual(before);
    });

    it('refuses a negative or oversize share, a stale version and an unknown action, storing nothing', async () => {
      const proposed = await propose();
      const before = await storedAction(proposed.id);
      const change = (variables: Record<string, unknown>) =>
        sendAction(graph, 'changeCostShare', lead(), { id: proposed.id, expectedVersion: proposed.version, ...variables });

      expect(errorCodes(await change({ costShareCents: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await change({ costShareCents: 1_000_000_001 }))).toEqual(['BAD_USER_INPUT']);
      // Beyond a GraphQL Int: refused before any resolver runs.
      expect(errorCodes(await change({ costShareCents: 2 ** 31 }))).toEqual(['BAD_USER_INPUT']);
      const stale = await change({ costShareCents: 10_00, expectedVersion: proposed.version - 1 });
      expect(errorCodes(stale)).toEqual(['CONFLICT']);
      expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(proposed.version);
      expect(errorCodes(await change({ id: 'no-such-action', costShareCents: 10_00 }))).toEqual(['NOT_FOUND']);
      // An action of Le Mirail is one a landlord of Bellefontaine only does not know of.
      const outsider = await sendAction(graph, 'changeCostShare', staffOf(coop.neighbour), {
        id: proposed.id,
        costShareCents: 10_00,
        expectedVersion: proposed.version,
      });
      expect(errorCodes(outsider)).toEqual(['NOT_FOUND']);
      expect(await storedAction(proposed.id)).toEqual(before);
    });

    it('lets one of two changes sent at once with the same version through; the other is a CONFLICT', async () => {
      const action = await coOrganised(graph, await propose(), coop.languedocienne, 100_00);
      const [first, second] = await Promise.all([
        sendAction(graph, 'changeCostShare', lead(), { id: action.id, costShareCents: 400_00, expectedVersion: action.version }),
        sendAction(graph, 'changeCostShare', staffOf(coop.languedocienne), {
          id: action.id,
          costShareCents: 150_00,
          expectedVersion: action.version,
        }),
      ]);
      expect([first, second].map(outcomeOf).sort()).toEqual(['CONFLICT', 'OK']);
      const stored = await storedAction(action.id);
      expect(stored?.version).toBe(action.version + 1);
      expect(stored?.costShares).toEqual(
        first.errors
          ? [
              { landlordId: coop.chalets, amountCents: 300_00 },
              { landlordId: coop.languedocienne, amountCents: 150_00 },
            ]
          : [
              { landlordId: coop.chalets, amountCents: 400_00 },
              { landlordId: coop.languedocienne, amountCents: 100_00 },
            ],
      );
    });
  });

  describe('partners', () => {
    it('attaches and detaches partners of the district while the action is to come, by its organisers and coordinators', async () => {
      const proposed = await propose();
      const withRegie = await actionAfter(graph, 'attachPartnerToAction', coordinatorOf(coop.mirail), {
        id: proposed.id,
        partnerId: coop.regie,
        expectedVersion: proposed.version,
      });
      expect(withRegie).toMatchObject({ version: proposed.version + 1, status: 'PROPOSED', partners: [{ id: coop.regie }] });
      const withBoth = await actionAfter(graph, 'attachPartnerToAction', lead(), {
        id: proposed.id,
        partnerId: mediators,
        expectedVersion: withRegie.version,
      });
      expect(withBoth.partners).toEqual([
        { id: coop.regie, name: 'Régie de quartier Reynerie Services' },
        { id: mediators, name: 'Médiateurs de la Reynerie' },
      ]);
      const coOrganisedAction = await coOrganised(graph, withBoth, coop.languedocienne, 50_00);
      const withMediators = await actionAfter(graph, 'detachPartnerFromAction', staffOf(coop.languedocienne), {
        id: proposed.id,
        partnerId: coop.regie,
        expectedVersion: coOrganisedAction.version,
      });
      expect(withMediators.partners).toEqual([{ id: mediators, name: 'Médiateurs de la Reynerie' }]);
      expect((await storedAction(proposed.id))?.audit).toMatchObject({ updatedBy: staffOf(coop.languedocienne).sub });
      const partnerActions = await graph.request<{ partner: { actions: { id: string }[] } }>(
        'query ($id: ID!) { partner(id: $id) { actions { id } } }',
        { caller: coordinatorOf(coop.mirail), variables: { id: mediators } },
      );
      expect(dataOf(partnerActions).partner.actions).toContainEqual({ id: proposed.id });

      const cancelled = await actionAfter(graph, 'cancelAction', lead(), {
        id: proposed.id,
        reason: 'Pluie',
        expectedVersion: withMediators.version,
      });
      const before = await storedAction(proposed.id);
      const attachLate = await sendAction(graph, 'attachPartnerToAction', coordinatorOf(coop.mirail), {
        id: proposed.id,
        partnerId: coop.regie,
        expectedVersion: cancelled.version,
      });
      expect(errorCodes(attachLate)).toEqual(['BAD_USER_INPUT']);
      expect(attachLate.errors?.[0]?.message).toBe('A CANCELLED action cannot take new partners: only a PROPOSED or SCHEDULED one can.');
      const detachLate = await sendAction(graph, 'detachPartnerFromAction', lead(), {
        id: proposed.id,
        partnerId: mediators,
        expectedVersion: cancelled.version,
      });
      expect(errorCodes(detachLate)).toEqual(['BAD_USER_INPUT']);
      expect(await storedAction(proposed.id)).toEqual(before);
    });

    it('refuses a partner of another district, an unknown one, one twice, detaching one not taking part, and an unknown action', async () => {
      const proposed: ActionView = await propose({ partnerIds: [coop.regie] });
      const before = await storedAction(proposed.id);
      const attach = (caller: Caller, partnerId: string, id = proposed.id) =>
        sendAction(graph, 'attachPartnerToAction', caller, { id, partnerId, expectedVersion: proposed.version });

      // Serving Bellefontaine only: a mistake for an admin, a partner the district's coordinator does not know of.
      const otherDistrict = await attach(TEST_ADMIN, coop.association);
      expect(errorCodes(otherDistrict)).toEqual(['BAD_USER_INPUT']);
      expect(otherDistrict.errors?.[0]?.extensions?.field).toBe('partnerId');
      expect(errorCodes(await attach(coordinatorOf(coop.mirail), coop.association))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await attach(lead(), 'no-such-partner'))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await attach(lead(), coop.regie))).toEqual(['CONFLICT']);
      expect(errorCodes(await attach(lead(), mediators, 'no-such-action'))).toEqual(['NOT_FOUND']);
      const notTakingPart = await sendAction(graph, 'detachPartnerFromAction', lead(), {
        id: proposed.id,
        partnerId: mediators,
        expectedVersion: proposed.version,
      });
      expect(errorCodes(notTakingPart)).toEqual(['BAD_USER_INPUT']);
      const unknownAction = await sendAction(graph, 'detachPartnerFromAction', lead(), {
        id: 'no-such-action',
        partnerId: coop.regie,
        expectedVersion: 1,
      });
      expect(errorCodes(unknownAction)).toEqual(['NOT_FOUND']);
      // The partner taking part may record the outcome; it does not choose who else takes part.
      const byPartner = await sendAction(graph, 'detachPartnerFromAction', partnerStaff(coop.regie), {
        id: proposed.id,
        partnerId: coop.regie,
        expectedVersion: proposed.version,
      });
      expect(errorCodes(byPartner)).toEqual(['FORBIDDEN']);
      expect(await storedAction(proposed.id)).toEqual(before);
      expect(dataOf(await readAction(graph, lead(), proposed.id)).action?.partners).toEqual([
        { id: coop.regie, name: 'Régie de quartier Reynerie Services' },
      ]);
    });

    it('lets one of two attachments sent at once with the same version through; the other is a CONFLICT', async () => {
      const proposed = await propose();
      const [first, second] = await Promise.all([
        sendAction(graph, 'attachPartnerToAction', coordinatorOf(coop.mirail), {
          id: proposed.id,
          partnerId: coop.regie,
          expectedVersion: proposed.version,
        }),
        sendAction(graph, 'attachPartnerToAction', lead(), { id: proposed.id, partnerId: mediators, expectedVersion: proposed.version }),
      ]);
      expect([first, second].map(outcomeOf).sort()).toEqual(['CONFLICT', 'OK']);
      const stored = await storedAction(proposed.id);
      expect(stored?.version).toBe(proposed.version + 1);
      expect(stored?.partnerIds).toEqual([first.errors ? mediators : coop.regie]);
    });
  });
});
