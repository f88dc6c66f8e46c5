import type { Caller } from '../../lib/auth/caller';
import { purgeEndedCampaigns } from '../../subgraphs/tenancy/campaignPurge';
import { coordinatorOf, partnerStaff } from '../support/actionsFixtures';
import {
  CALL_FIELDS,
  type CallResult,
  DAY_MS,
  callsOf,
  claimNextCall,
  dayOffset,
  openCampaign,
  recordCallAttempt,
  registerHouseholdIn,
  registerServicePartner,
} from '../support/campaignFixtures';
import { type SharedDistrict, registerSharedDistrict } from '../support/tenancyFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * Wellbeing-call campaigns through the gateway, for each role: the landlord's staff, another landlord's staff, the
 * district's coordinator, a partner with a consented referral and one without, admins. Two callers never hold the
 * same household; no answer brings the household back the next day, three times at most; a partner sees a referral's
 * contact only while the tenant consents; the purge deletes call data after the retention.
 */

/** A response's data, shaped by the query sent. */
type Json = any;

const caller = (landlordId: string, name: string): Caller => ({ role: 'LANDLORD_STAFF', sub: name, landlordId });

describe('wellbeing-call campaigns', () => {
  let graph: TestGraph;
  let district: SharedDistrict;
  let coordinator: Caller;
  let owner: Caller;
  let neighbour: Caller;
  /** The régie de quartier of the district, taking grocery referrals. */
  let regie: string;
  /** The owner's households by what they are. */
  const households: Record<string, string> = {};

  const query = (who: Caller, text: string, variables: Record<string, unknown> = {}) =>
    graph.request<Json>(text, { caller: who, variables });

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerSharedDistrict(graph, 'Reynerie');
    coordinator = coordinatorOf(district.districtId);
    owner = district.owner.staff;
    neighbour = district.neighbour.staff;
    regie = await registerServicePartner(graph, 'Régie de quartier Reynerie', district.districtId, ['GROCERY_DELIVERY', 'BEFRIENDING']);
    const building = district.owner.buildingId;
    households.vulnerable = await registerHouseholdIn(graph, building, 'v', {
      contactName: 'Mme Odette Garcia',
      contactFirstName: 'Odette',
      phone: '05 61 00 00 01',
      vulnerable: true,
      entrance: 'B',
    });
    households.eldest = await registerHouseholdIn(graph, building, 'e', {
      contactName: 'M. Ahmed Benali',
      eldestMemberAgeBand: 'FROM_80_TO_89',
      size: 2,
    });
    households.alone = await registerHouseholdIn(graph, building, 'a', { contactName: 'M. Jean Roux', livesAlone: true });
    households.notEligible = await registerHouseholdIn(graph, building, 'n', {
      contactName: 'Famille Martin',
      size: 4,
      eldestMemberAgeBand: 'FROM_60_TO_69',
    });
    households.refused = await registerHouseholdIn(graph, building, 'r', {
      contactName: 'Mme Refus',
      vulnerable: true,
      contactConsent: 'REFUSED',
    });
    await registerHouseholdIn(graph, district.neighbour.buildingId, 'x', {
      contactName: 'Mme Voisine',
      phone: '05 61 99 99 99',
      livesAlone: true,
    });
  });

  afterAll(async () => {
    await graph.close();
  });

  describe('a campaign a landlord opens for itself', () => {
    let campaignId: string;

    beforeAll(async () => {
      const campaign = dataOf(await openCampaign(graph, owner, { districtId: district.districtId })).openCampaign;
      campaignId = campaign.id;
      expect(campaign).toMatchObject({
        reason: 'CANICULE',
        status: 'ACTIVE',
        openedByLandlord: { id: district.owner.landlordId },
        landlords: [{ id: district.owner.landlordId }],
      });
    });

    it('lists the vulnerable, the over-70s and those living alone, never a household that refused contact', async () => {
      const calls = dataOf(await callsOf(graph, owner, campaignId)).campaign!.calls!;
      const listed = Object.fromEntries(calls.nodes.map((call) => [call.household!.id, call.listedFor]));
      expect(listed).toEqual({
        [households.vulnerable!]: ['VULNERABLE'],
        [households.eldest!]: ['AGED_70_OR_MORE'],
        [households.alone!]: ['LIVES_ALONE'],
      });
      expect(calls.nodes.every((call) => call.status === 'TO_CALL' && call.nextAttemptOn === dayOffset(0))).toBe(true);
    });

    it("shows the campaign to the district, but another landlord's staff and the coordinator no call, name or phone", async () => {
      for (const who of [neighbour, coordinator, partnerStaff(regie)]) {
        const response = await callsOf(graph, who, campaignId, district.owner.landlordId);
        expect(JSON.stringify(response)).not.toMatch(/Garcia|Benali|05 61 00/);
      }
      expect(dataOf(await callsOf(graph, neighbour, campaignId)).campaign!.calls!.totalCount).toBe(0);
      expect(dataOf(await callsOf(graph, coordinator, campaignId)).campaign!.calls!.totalCount).toBe(0);
      const neighbourCsv = dataOf(await query(neighbour, 'query ($id: ID!) { campaign(id: $id) { callListCsv } }', { id: campaignId }));
      expect(neighbourCsv.campaign.callListCsv).not.toMatch(/Garcia|Benali/);
      const coordinatorCsv = await query(coordinator, 'query ($id: ID!) { campaign(id: $id) { callListCsv } }', { id: campaignId });
      expect(errorCodes(coordinatorCsv)).toEqual(['FORBIDDEN']);
    });

    it("exports the landlord's own call list as CSV, and logs each household exported", async () => {
      const csv = dataOf(await query(owner, 'query ($id: ID!) { campaign(id: $id) { callListCsv } }', { id: campaignId })).campaign
        .callListCsv as string;
      expect(csv.startsWith('\uFEFFNom;Téléphone;Adresse;Entrée')).toBe(true);
      expect(csv).toMatch(/Mme Odette Garcia;05 61 00 00 01;1 allée de Bellefontaine Reynerie;B;fragilité/);
      expect(csv).not.toMatch(/Famille Martin|Mme Refus/);
      const log = dataOf(
        await query(owner, 'query ($h: ID) { contactAccessLog(householdId: $h) { nodes { kind by role campaign { id } } } }', {
          h: households.vulnerable,
        }),
      ).contactAccessLog.nodes;
      expect(log).toContainEqual({ kind: 'EXPORTED', by: owner.sub, role: 'LANDLORD_STAFF', campaign: { id: campaignId } });
      const neighbourLog = dataOf(
        await query(neighbour, 'query ($h: ID) { contactAccessLog(householdId: $h) { totalCount } }', { h: households.vulnerable }),
      );
      expect(neighbourLog.contactAccessLog.totalCount).toBe(0);
    });

    it('lets only its opener (or the coordinator) end it', async () => {
      const other = dataOf(await openCampaign(graph, owner, { districtId: district.districtId, reason: 'ISOLEMENT' })).openCampaign;
      const end = (who: Caller) =>
        query(who, 'mutation ($id: ID!, $v: Int!) { endCampaign(id: $id, expectedVersion: $v) { status endsOn version } }', {
          id: other.id,
          v: 1,
        });
      expect(errorCodes(await end(neighbour))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await end(partnerStaff(regie)))).toEqual(['FORBIDDEN']);
      expect(dataOf(await end(owner)).endCampaign).toMatchObject({ endsOn: dayOffset(0), version: 2 });
      expect(errorCodes(await end(owner))).toEqual(['CONFLICT']);
      const calls = dataOf(await callsOf(graph, owner, other.id)).campaign!.calls!.nodes;
      expect(calls.map((call) => call.status)).toEqual(['NOT_REACHED_IN_TIME', 'NOT_REACHED_IN_TIME', 'NOT_REACHED_IN_TIME']);
    });

    it('refuses a landlord opening a campaign for another, a partner, a bad period', async () => {
      expect(
        errorCodes(await openCampaign(graph, neighbour, { districtId: district.districtId, landlordId: district.owner.landlordId })),
      ).toEqual(['FORBIDDEN']);
      expect(errorCodes(await openCampaign(graph, partnerStaff('none'), { districtId: district.districtId }))).toEqual(['NOT_FOUND']);
      expect(
        errorCodes(await openCampaign(graph, owner, { districtId: district.districtId, startsOn: dayOffset(3), endsOn: dayOffset(1) })),
      ).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await openCampaign(graph, owner, { districtId: district.districtId, reason: 'OTHER' }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(errorCodes(await openCampaign(graph, coordinatorOf('elsewhere'), { districtId: district.districtId }))).toEqual(['NOT_FOUND']);
    });
  });

  describe('a campaign the coordinator opens for every landlord of the district', () => {
    let campaignId: string;

    beforeAll(async () => {
      const campaign = dataOf(
        await openCampaign(graph, coordinator, { districtId: district.districtId, reason: 'GRAND_FROID' }),
      ).openCampaign;
      campaignId = campaign.id;
      expect(campaign.openedByLandlord).toBeNull();
      expect(campaign.landlords.map((landlord) => landlord.id).sort()).toEqual(
        [district.owner.landlordId, district.neighbour.landlordId].sort(),
      );
    });

    it("gives each landlord its own list, and admins any landlord's", async () => {
      expect(dataOf(await callsOf(graph, owner, campaignId)).campaign!.calls!.totalCount).toBe(3);
      expect(dataOf(await callsOf(graph, neighbour, campaignId)).campaign!.calls!.totalCount).toBe(1);
      expect(dataOf(await callsOf(graph, TEST_ADMIN, campaignId, district.neighbour.landlordId)).campaign!.calls!.totalCount).toBe(1);
    });

    it('shows progress exactly to admins and on its own row to a landlord, withholding small cells of others', async () => {
      const progress = (who: Caller) =>
        query(
          who,
          `query ($id: ID!) { campaign(id: $id) { progress {
            total { households { count disclosure } reached { count disclosure } needs { need count disclosure } }
            byLandlord { landlord { id } figures { households { count disclosure } } } } } }`,
          { id: campaignId },
        );
      const exact = dataOf(await progress(TEST_ADMIN)).campaign.progress;
      expect(exact.total.households).toEqual({ count: 4, disclosure: 'EXACT' });
      expect(exact.total.needs).toHaveLength(6);
      const ownView = dataOf(await progress(owner)).campaign.progress;
      const row = (view: Json, landlordId: string) => view.byLandlord.find((entry: Json) => entry.landlord.id === landlordId).figures;
      expect(row(ownView, district.owner.landlordId).households).toEqual({ count: 3, disclosure: 'EXACT' });
      expect(row(ownView, district.neighbour.landlordId).households).toEqual({ count: null, disclosure: 'WITHHELD_SMALL_CELL' });
      expect(ownView.total.households).toEqual({ count: null, disclosure: 'WITHHELD_SMALL_CELL' });
      const coordinatorView = dataOf(await progress(coordinator)).campaign.progress;
      expect(row(coordinatorView, district.owner.landlordId).households.count).toBeNull();
      expect(JSON.stringify(coordinatorView)).not.toMatch(/"count":\d/);
      expect(errorCodes(await progress(partnerStaff(regie)))).toEqual(['FORBIDDEN']);
    });
  });

  describe('claims', () => {
    let campaignId: string;
    let claimDistrict: SharedDistrict;

    beforeAll(async () => {
      claimDistrict = await registerSharedDistrict(graph, 'Claims');
      for (let index = 0; index < 6; index += 1) {
        await registerHouseholdIn(graph, claimDistrict.owner.buildingId, `c${index}`, { vulnerable: true, phone: `05 61 00 10 0${index}` });
      }
      campaignId = dataOf(await openCampaign(graph, claimDistrict.owner.staff, { districtId: claimDistrict.districtId })).openCampaign.id;
    });

    it('never gives two callers the same household, however many claim at once', async () => {
      const callers = Array.from({ length: 8 }, (_, index) => caller(claimDistrict.owner.landlordId, `caller-${index}`));
      for (let round = 0; round < 12; round += 1) {
        const claims = await Promise.all(callers.map((who) => claimNextCall(graph, who, campaignId)));
        const claimed = claims.map((response) => dataOf(response).claimNextCall);
        const held = claimed.filter((call): call is CallResult => call !== null);
        expect(held).toHaveLength(6);
        expect(new Set(held.map((call) => call.id)).size).toBe(6);
        expect(held.every((call) => call.heldByMe)).toBe(true);
        // Each gives its call back for the next round.
        await Promise.all(
          claimed.map(async (call, index) => {
            if (!call) return;
            const release = 'mutation ($id: ID!, $v: Int!) { releaseCall(id: $id, expectedVersion: $v) { id } }';
            dataOf(await query(callers[index]!, release, { id: call.id, v: call.version }));
          }),
        );
      }
    }, 120_000);

    it("gives a caller back the call it holds, keeps others off it until the lease lapses, and refuses another landlord's staff", async () => {
      const first = caller(claimDistrict.owner.landlordId, 'first');
      const held = dataOf(await claimNextCall(graph, first, campaignId)).claimNextCall!;
      expect(dataOf(await claimNextCall(graph, first, campaignId)).claimNextCall!.id).toBe(held.id);
      const second = caller(claimDistrict.owner.landlordId, 'second');
      const attempt = await recordCallAttempt(graph, second, { callId: held.id, expectedVersion: held.version + 1, outcome: 'REACHED' });
      expect(errorCodes(attempt)).toEqual(['CONFLICT']);
      // The lease lapses.
      await graph.db
        .collection('campaignCalls')
        .updateOne({ _id: held.id as never }, { $set: { claimExpiresAt: new Date(Date.now() - 1000) } });
      const current = dataOf(
        await query(second, `query ($id: ID!) { campaignCall(id: $id) { ${CALL_FIELDS} } }`, { id: held.id }),
      ).campaignCall;
      expect(current.heldByMe).toBe(false);
      expect(current.claimExpiresAt).toBeNull();
      expect(
        dataOf(await recordCallAttempt(graph, second, { callId: held.id, expectedVersion: current.version, outcome: 'ALREADY_FOLLOWED' }))
          .recordCallAttempt.status,
      ).toBe('ALREADY_FOLLOWED');
      expect(errorCodes(await claimNextCall(graph, claimDistrict.neighbour.staff, campaignId))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await claimNextCall(graph, coordinatorOf(claimDistrict.districtId), campaignId))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await claimNextCall(graph, TEST_ADMIN, campaignId))).toEqual(['FORBIDDEN']);
    });
  });

  describe('the retry schedule', () => {
    let retryDistrict: SharedDistrict;
    let campaignId: string;
    const first = () => caller(retryDistrict.owner.landlordId, 'first-caller');
    const other = () => caller(retryDistrict.owner.landlordId, 'other-caller');

    beforeAll(async () => {
      retryDistrict = await registerSharedDistrict(graph, 'Retries');
      await registerHouseholdIn(graph, retryDistrict.owner.buildingId, 'only', { livesAlone: true, phone: '05 61 00 20 00' });
      campaignId = dataOf(await openCampaign(graph, retryDistrict.owner.staff, { districtId: retryDistrict.districtId })).openCampaign.id;
    });

    const queue = async (who: Caller) =>
      dataOf(await query(who, 'query ($id: ID!) { campaign(id: $id) { myCallsToday { id nextAttemptOn } } }', { id: campaignId })).campaign
        .myCallsToday as {
        id: string;
      }[];

    it('brings a household back the next day, to the same caller first, and gives up after three attempts', async () => {
      const call = dataOf(await claimNextCall(graph, first(), campaignId)).claimNextCall!;
      const yesterday = new Date(Date.now() - DAY_MS);
      const afterFirst = dataOf(
        await recordCallAttempt(graph, first(), {
          callId: call.id,
          expectedVersion: call.version,
          outcome: 'NO_ANSWER',
          attemptedAt: yesterday.toISOString(),
        }),
      ).recordCallAttempt;
      expect(afterFirst).toMatchObject({ status: 'TO_CALL', nextAttemptOn: dayOffset(0), assignedTo: 'first-caller', heldByMe: false });
      // Due today: the first caller's again; nobody else gets it today.
      expect(await queue(first())).toEqual([{ id: call.id, nextAttemptOn: dayOffset(0) }]);
      expect(await queue(other())).toEqual([]);
      expect(dataOf(await claimNextCall(graph, other(), campaignId)).claimNextCall).toBeNull();
      const again = dataOf(await claimNextCall(graph, first(), campaignId)).claimNextCall!;
      expect(again.id).toBe(call.id);

      const afterSecond = dataOf(
        await recordCallAttempt(graph, first(), { callId: call.id, expectedVersion: again.version, outcome: 'NO_ANSWER' }),
      ).recordCallAttempt;
      expect(afterSecond).toMatchObject({ status: 'TO_CALL', nextAttemptOn: dayOffset(1) });
      expect(await queue(first())).toEqual([]);
      expect(dataOf(await claimNextCall(graph, first(), campaignId)).claimNextCall).toBeNull();

      // Recorded offline afterwards, without a claim: the third no answer ends the call.
      const afterThird = dataOf(
        await recordCallAttempt(graph, first(), { callId: call.id, expectedVersion: afterSecond.version, outcome: 'NO_ANSWER' }),
      ).recordCallAttempt;
      expect(afterThird).toMatchObject({ status: 'UNREACHABLE', nextAttemptOn: null });
      expect(afterThird.attempts.map((attempt) => attempt.outcome)).toEqual(['NO_ANSWER', 'NO_ANSWER', 'NO_ANSWER']);
      const fourth = await recordCallAttempt(graph, first(), { callId: call.id, expectedVersion: afterThird.version, outcome: 'REACHED' });
      expect(errorCodes(fourth)).toEqual(['BAD_USER_INPUT']);
      const stale = await recordCallAttempt(graph, first(), { callId: call.id, expectedVersion: afterSecond.version, outcome: 'REACHED' });
      expect(errorCodes(stale)).toEqual(['CONFLICT']);
    });

    it('refuses needs without a REACHED attempt, and attempts in the future or before the campaign', async () => {
      const fresh = await registerHouseholdIn(graph, retryDistrict.owner.buildingId, 'fresh', { vulnerable: true });
      dataOf(await query(retryDistrict.owner.staff, 'mutation ($id: ID!) { refreshCallList(campaignId: $id) { id } }', { id: campaignId }));
      const calls = dataOf(await callsOf(graph, retryDistrict.owner.staff, campaignId)).campaign!.calls!.nodes;
      const call = calls.find((entry) => entry.household?.id === fresh)!;
      const attempt = (input: Record<string, unknown>) =>
        recordCallAttempt(graph, first(), { callId: call.id, expectedVersion: call.version, ...input });
      expect(errorCodes(await attempt({ outcome: 'NO_ANSWER', needs: ['GROCERIES'] }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await attempt({ outcome: 'REACHED', attemptedAt: new Date(Date.now() + DAY_MS).toISOString() }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(errorCodes(await attempt({ outcome: 'REACHED', attemptedAt: new Date(Date.now() - 30 * DAY_MS).toISOString() }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      const stored = await graph.db.collection('campaignCalls').findOne({ _id: call.id as never });
      expect(stored).toMatchObject({ attempts: [], version: call.version });
    });
  });

  describe('referrals', () => {
    let campaignId: string;
    let association: string;
    let groceriesReferral: string;
    let reached: CallResult;

    const referralQuery = `query ($id: ID!) { referral(id: $id) { id need status version contact { firstName address entrance phone } partner { id } } }`;

    beforeAll(async () => {
      association = await registerServicePartner(graph, 'Association Reynerie', district.districtId, ['DIGITAL_HELP']);
      campaignId = dataOf(await openCampaign(graph, owner, { districtId: district.districtId, reason: 'CRISE_SANITAIRE' })).openCampaign.id;
      const claimed = dataOf(await claimNextCall(graph, owner, campaignId)).claimNextCall!;
      expect(claimed.household?.id).toBe(households.eldest); // the eldest first
      const vulnerableCall = dataOf(await callsOf(graph, owner, campaignId)).campaign!.calls!.nodes.find(
        (call) => call.household?.id === households.vulnerable,
      )!;
      reached = dataOf(
        await recordCallAttempt(graph, owner, {
          callId: vulnerableCall.id,
          expectedVersion: vulnerableCall.version,
          outcome: 'REACHED',
          needs: ['GROCERIES', 'SOCIAL_CONTACT', 'URGENT_HEALTH'],
          referralConsent: 'GIVEN',
        }),
      ).recordCallAttempt;
    });

    const refer = (who: Caller, input: Record<string, unknown>) =>
      query(who, 'mutation ($input: ReferNeedInput!) { referNeed(input: $input) { id status need version } }', {
        input: { callId: reached.id, ...input },
      });

    it('passes a need, with consent, to a partner of the district offering the service', async () => {
      expect(errorCodes(await refer(owner, { need: 'URGENT_HEALTH', partnerId: regie }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await refer(owner, { need: 'GROCERIES', partnerId: association }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await refer(owner, { need: 'MEDICINES', partnerId: regie }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await refer(neighbour, { need: 'GROCERIES', partnerId: regie }))).toEqual(['NOT_FOUND']);
      const referral = dataOf(await refer(owner, { need: 'GROCERIES', partnerId: regie })).referNeed;
      expect(referral).toMatchObject({ status: 'PENDING', need: 'GROCERIES' });
      groceriesReferral = referral.id;
      expect(errorCodes(await refer(owner, { need: 'GROCERIES', partnerId: regie }))).toEqual(['CONFLICT']);
      dataOf(await refer(owner, { need: 'SOCIAL_CONTACT', partnerId: regie }));
    });

    it('refuses a referral without consent: nothing leaves the landlord', async () => {
      const alone = dataOf(await callsOf(graph, owner, campaignId)).campaign!.calls!.nodes.find(
        (call) => call.household?.id === households.alone,
      )!;
      const refused = dataOf(
        await recordCallAttempt(graph, owner, {
          callId: alone.id,
          expectedVersion: alone.version,
          outcome: 'REACHED',
          needs: ['GROCERIES'],
          referralConsent: 'REFUSED',
        }),
      ).recordCallAttempt;
      const response = await query(owner, 'mutation ($input: ReferNeedInput!) { referNeed(input: $input) { id } }', {
        input: { callId: refused.id, need: 'GROCERIES', partnerId: regie },
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(await graph.db.collection('referrals').countDocuments({ callId: refused.id })).toBe(0);
    });

    it('shows the partner only what the referral needs; no other partner, landlord or coordinator sees it', async () => {
      const seen = dataOf(await query(partnerStaff(regie), referralQuery, { id: groceriesReferral })).referral;
      expect(seen).toMatchObject({
        need: 'GROCERIES',
        contact: { firstName: 'Odette', address: '1 allée de Bellefontaine Reynerie', entrance: 'B', phone: '05 61 00 00 01' },
      });
      const list = dataOf(
        await query(partnerStaff(regie), 'query { referrals(first: 10) { totalCount nodes { need contact { firstName } } } }'),
      );
      expect(list.referrals.totalCount).toBe(2);
      // The partner gets nothing more of the household than the referral shows.
      const household = await query(partnerStaff(regie), 'query ($id: ID!) { household(id: $id) { contactName phone } }', {
        id: households.vulnerable,
      });
      expect(household.data?.household).toBeNull();
      const call = await query(partnerStaff(regie), `query ($id: ID!) { campaignCall(id: $id) { id } }`, { id: reached.id });
      expect(call.data?.campaignCall).toBeNull();
      for (const who of [partnerStaff(association), neighbour, coordinator]) {
        const response = await query(who, referralQuery, { id: groceriesReferral });
        expect(response.data?.referral).toBeNull();
        const others = dataOf(await query(who, 'query { referrals(first: 10) { totalCount } }'));
        expect(others.referrals.totalCount).toBe(0);
        expect(JSON.stringify(response)).not.toMatch(/Odette|05 61 00 00 01/);
      }
      const log = dataOf(
        await query(owner, 'query ($h: ID) { contactAccessLog(householdId: $h) { nodes { kind role partner { id } } } }', {
          h: households.vulnerable,
        }),
      );
      expect(log.contactAccessLog.nodes).toContainEqual({ kind: 'VIEWED', role: 'PARTNER', partner: { id: regie } });
    });

    it('lets the partner record the outcome, and no one else', async () => {
      const record = (who: Caller, version: number) =>
        query(who, 'mutation ($id: ID!, $v: Int!) { recordReferralOutcome(id: $id, done: true, expectedVersion: $v) { status version } }', {
          id: groceriesReferral,
          v: version,
        });
      expect(errorCodes(await record(owner, 1))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await record(partnerStaff(association), 1))).toEqual(['NOT_FOUND']);
      expect(dataOf(await record(partnerStaff(regie), 1)).recordReferralOutcome).toEqual({ status: 'DONE', version: 2 });
      expect(errorCodes(await record(partnerStaff(regie), 1))).toEqual(['CONFLICT']);
    });

    it('hides the contact from the partner once the tenant withdraws consent', async () => {
      const withdrawn = dataOf(
        await query(
          owner,
          'mutation ($id: ID!, $v: Int!) { recordReferralConsent(callId: $id, consent: WITHDRAWN, expectedVersion: $v) { referralConsent referrals { need status } } }',
          { id: reached.id, v: reached.version },
        ),
      ).recordReferralConsent;
      expect(withdrawn.referralConsent).toBe('WITHDRAWN');
      expect(withdrawn.referrals).toEqual([
        { need: 'GROCERIES', status: 'DONE' },
        { need: 'SOCIAL_CONTACT', status: 'WITHDRAWN' },
      ]);
      const list = await query(
        partnerStaff(regie),
        'query { referrals(first: 10) { nodes { need status contact { firstName address entrance phone } } } }',
      );
      expect(dataOf(list).referrals.nodes).toEqual([
        { need: 'SOCIAL_CONTACT', status: 'WITHDRAWN', contact: null },
        { need: 'GROCERIES', status: 'DONE', contact: null },
      ]);
      expect(JSON.stringify(list)).not.toMatch(/Odette|05 61 00 00 01|Bellefontaine/);
      const pending = await query(partnerStaff(regie), 'query { referrals(status: WITHDRAWN, first: 1) { nodes { id version } } }');
      const withdrawnReferral = dataOf(pending).referrals.nodes[0];
      const outcome = await query(
        partnerStaff(regie),
        'mutation ($id: ID!, $v: Int!) { recordReferralOutcome(id: $id, done: true, expectedVersion: $v) { status } }',
        {
          id: withdrawnReferral.id,
          v: withdrawnReferral.version,
        },
      );
      expect(errorCodes(outcome)).toEqual(['BAD_USER_INPUT']);
    });

    it('purges call data the configured months after the campaign ends, keeping the figures', async () => {
      const campaign = dataOf(
        await query(owner, 'query ($id: ID!) { campaign(id: $id) { endsOn callDataPurgeOn version } }', { id: campaignId }),
      ).campaign;
      const purgeDay = new Date(`${campaign.callDataPurgeOn}T08:00:00Z`);
      expect(campaign.callDataPurgeOn).toBe(
        dayOffset(
          1,
          new Date(new Date(`${campaign.endsOn}T00:00:00Z`).setUTCMonth(new Date(`${campaign.endsOn}T00:00:00Z`).getUTCMonth() + 3)),
        ),
      );
      await purgeEndedCampaigns(graph.db, new Date(purgeDay.getTime() - DAY_MS), 3);
      expect(await graph.db.collection('campaignCalls').countDocuments({ campaignId })).toBe(3);
      const outcome = await purgeEndedCampaigns(graph.db, purgeDay, 3);
      // Every campaign of the suite ended by then: this one's two referrals are all there were.
      expect(outcome.referrals).toBe(2);
      expect(await graph.db.collection('campaignCalls').countDocuments({ campaignId })).toBe(0);
      expect(await graph.db.collection('referrals').countDocuments({ campaignId })).toBe(0);
      const after = dataOf(
        await query(
          TEST_ADMIN,
          'query ($id: ID!) { campaign(id: $id) { status progress { total { households { count } reached { count } referralsDone { count } } } } }',
          {
            id: campaignId,
          },
        ),
      ).campaign;
      expect(after).toEqual({
        status: 'PURGED',
        progress: { total: { households: { count: 3 }, reached: { count: 2 }, referralsDone: { count: 1 } } },
      });
      expect(dataOf(await query(partnerStaff(regie), 'query { referrals(first: 10) { totalCount } }')).referrals.totalCount).toBe(0);
      // The households themselves stay: the purge is of the campaign's call data only.
      expect(
        dataOf(await query(owner, 'query ($id: ID!) { household(id: $id) { id } }', { id: households.vulnerable })).household,
      ).not.toBeNull();
    });
  });

  describe('household profiles', () => {
    it('change with expectedVersion, by the landlord only', async () => {
      const update = (who: Caller, version: number) =>
        query(
          who,
          `mutation ($id: ID!, $v: Int!) { updateHouseholdProfile(id: $id, expectedVersion: $v,
            input: { livesAlone: true, preferredChannel: SMS, preferredTimes: [MORNING, EVENING], contactConsent: GIVEN }) {
              version livesAlone preferredChannel preferredTimes contactConsent eldestMemberAgeBand } }`,
          { id: households.notEligible, v: version },
        );
      expect(errorCodes(await update(neighbour, 1))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await update(coordinator, 1))).toEqual(['NOT_FOUND']);
      expect(dataOf(await update(owner, 1)).updateHouseholdProfile).toEqual({
        version: 2,
        livesAlone: true,
        preferredChannel: 'SMS',
        preferredTimes: ['MORNING', 'EVENING'],
        contactConsent: 'GIVEN',
        eldestMemberAgeBand: 'FROM_60_TO_69',
      });
      const stale = await update(owner, 1);
      expect(errorCodes(stale)).toEqual(['CONFLICT']);
      expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
    });
  });
});
