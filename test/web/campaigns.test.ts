import { readFileSync } from 'node:fs';
import type { Page, Response } from 'playwright-core';
import type { Caller } from '../../lib/auth/caller';
import { seedDemoData } from '../../scripts/seed/demo';
import { householdsCollection } from '../../subgraphs/tenancy/data/households';
import { WITHHELD_SHORT, disclosedFigure, formatInteger } from '../../web/src/format';
import type { Disclosure } from '../../web/src/gql/graphql';
import {
  DESKTOP,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  type Identity,
  type TestBrowser,
} from '../support/browser';
import { dataOf, startTestGraph, type TestGraph } from '../support/testGraph';

/**
 * The campaign screens (appels de convivialité) in a real browser against the real graph and the demo data, as the
 * people of a district use them: the coordinator opens a campaign, a landlord's staff call their tenants and refer a
 * need to the régie de quartier, which records it done, and the coordinator follows the progress, never a name.
 */
const DISTRICT = 'district-grand-mirail';
const TMH = 'landlord-tmh';
const CHALETS = 'landlord-chalets';
const REGIE = 'partner-regie-mirail';
const COORDINATOR: Caller = { role: 'COORDINATOR', sub: 'demo-coordinator', districtIds: [DISTRICT] };
const SCREEN = 'Appels de convivialité';

jest.setTimeout(180_000);

let graph: TestGraph;
let chromium: TestBrowser;
let origin: string;
const title = `Canicule juillet — essai ${Date.now()}`;

beforeAll(async () => {
  graph = await startTestGraph();
  await seedDemoData(graph.db);
  chromium = await launchChromium();
  origin = new URL(graph.gatewayUrl).origin;
}, 300_000);

afterAll(async () => {
  const started = [chromium, graph] as ({ close(): Promise<unknown> } | undefined)[];
  for (const resource of started) await resource?.close();
});

const PHONE = { width: 390, height: 844 };

const signedIn = (identity: Identity, viewport = DESKTOP) => signIn(chromium, origin, identity, viewport);

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[role="status"].muted').length === 0);
}

async function openCampaigns(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name: SCREEN }).click();
  await page.getByRole('heading', { level: 1, name: SCREEN }).waitFor();
  await settled(page);
}

/** Opens the test's campaign from the list, as a person would. */
async function openTheCampaign(page: Page): Promise<void> {
  await openCampaigns(page);
  await page.getByRole('button', { name: `Ouvrir ${title}` }).click();
  await page.getByTestId('campaign-page').getByRole('heading', { name: title }).waitFor();
  await settled(page);
}

/** Every /graphql answer the page receives while `run` runs, and the page's text after it. */
async function seenBy(page: Page, run: () => Promise<void>): Promise<string> {
  const answers: Promise<string>[] = [];
  const collect = (response: Response) => {
    if (response.url().endsWith('/graphql')) answers.push(response.text());
  };
  page.on('response', collect);
  await run();
  page.off('response', collect);
  return [await page.locator('body').innerText(), ...(await Promise.all(answers))].join('\n');
}

const spaces = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

async function householdSecrets(filter: Record<string, unknown>): Promise<{ names: string[]; phones: string[]; ids: string[] }> {
  const households = await householdsCollection(graph.db)
    .find(filter)
    .project<{ _id: string; contactName: string | null; phone: string | null }>({ _id: 1, contactName: 1, phone: 1 })
    .toArray();
  const present = (values: (string | null)[]) => values.filter((value): value is string => typeof value === 'string');
  return {
    names: present(households.map((household) => household.contactName)),
    phones: present(households.map((household) => household.phone)),
    ids: households.map((household) => household._id),
  };
}

let campaignId: string;
let calledName: string;

test('the coordinator opens a campaign for every landlord of the district, and sees progress but no name or phone', async () => {
  const { context, page } = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  const seen = await seenBy(page, async () => {
    await openCampaigns(page);
    await page.getByText('Ouvrir une campagne').click();
    await page.getByLabel('Motif').selectOption('CANICULE');
    await page.getByLabel(/^Intitulé/).fill(title);
    const today = new Date();
    const inAMonth = new Date(today.getTime() + 30 * 24 * 3_600_000);
    await page.getByLabel('Premier jour').fill(today.toISOString().slice(0, 10));
    await page.getByLabel('Dernier jour').fill(inAMonth.toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Ouvrir la campagne' }).click();
    await page.getByTestId('campaign-page').getByRole('heading', { name: title }).waitFor();
    await page.getByTestId('campaign-progress').waitFor();
    await settled(page);
  });
  expect(spaces(await page.getByTestId('campaign-status').textContent())).toBe('En cours');
  await screenshot(page, 'campagne-ouverte-coordinator');

  const { campaigns } = dataOf(
    await graph.request<{ campaigns: { id: string; title: string; openedByLandlord: unknown; landlords: { id: string }[] }[] }>(
      `query($d: ID!) { campaigns(districtId: $d) { id title openedByLandlord { id } landlords { id } } }`,
      { caller: COORDINATOR, variables: { d: DISTRICT } },
    ),
  );
  const campaign = campaigns.find((candidate) => candidate.title === title)!;
  expect(campaign.openedByLandlord).toBeNull();
  expect(campaign.landlords.map((landlord) => landlord.id)).toEqual(expect.arrayContaining([TMH, CHALETS]));
  campaignId = campaign.id;

  const secrets = await householdSecrets({ districtId: DISTRICT });
  expect(secrets.phones.length).toBeGreaterThan(50);
  expect([...secrets.phones, ...secrets.names, ...secrets.ids].filter((secret) => seen.includes(secret))).toEqual([]);
  await context.close();
});

test('landlord staff claim a call, record no answer, then reach the tenant with needs and consent, and refer groceries to the régie', async () => {
  const { context, page } = await signedIn({ role: 'LANDLORD_STAFF', landlord: TMH });
  await openTheCampaign(page);
  const myCalls = page.getByTestId('my-calls');
  await myCalls.getByRole('heading', { name: /^À appeler aujourd’hui/ }).waitFor();
  await page.getByRole('button', { name: 'Appeler le suivant' }).click();
  const card = page.getByTestId('call-card');
  await card.waitFor();

  // The card shows the household as its landlord knows it: name, a phone to dial, why it is listed.
  calledName = spaces(await card.getByRole('heading', { level: 4 }).textContent());
  const phone = spaces(await card.getByRole('link').first().textContent());
  expect(await card.getByRole('link', { name: phone }).getAttribute('href')).toBe(`tel:${phone.replace(/\s/g, '')}`);
  expect(await householdsCollection(graph.db).countDocuments({ landlordId: TMH, contactName: calledName, phone, current: true })).toBe(1);
  expect(spaces(await card.textContent())).toMatch(/Sur la liste car/);
  await screenshot(page, 'campagne-appel-en-main-landlord-staff');

  await card.getByRole('button', { name: 'Pas de réponse' }).click();
  await card.getByTestId('call-status').filter({ hasText: 'prochain essai le' }).waitFor();
  await card.getByText(/: Pas de réponse$/).waitFor();

  // Called back: reached. An urgent health concern says at once to call the emergency services.
  await card.getByLabel('Courses').check();
  await card.getByLabel(/^Urgence santé/).check();
  expect(spaces(await card.getByTestId('urgent-health').textContent())).toMatch(/appelez le 15 \(SAMU\) ou le 112 maintenant/);
  await card.getByLabel('Oui, il y consent').check();
  await screenshot(page, 'campagne-appel-joint-saisie-landlord-staff');
  await card.getByRole('button', { name: 'Enregistrer : joint' }).click();
  await card.getByTestId('call-status').filter({ hasText: 'Joint' }).waitFor();
  expect(spaces(await card.getByTestId('referral-consent').textContent())).toBe('Consentement à l’orientation : Donné');
  expect(spaces(await card.getByTestId('need-URGENT_HEALTH').textContent())).toMatch(/jamais orientée vers un partenaire/);

  const groceries = card.getByTestId('need-GROCERIES');
  await groceries.getByLabel('Partenaire').selectOption(REGIE);
  await groceries.getByRole('button', { name: 'Orienter' }).click();
  await groceries.filter({ hasText: 'orienté vers Régie de quartier du Grand Mirail (À faire)' }).waitFor();
  await screenshot(page, 'campagne-orientation-landlord-staff');

  // The call list for offline work: a French CSV of the landlord's own households.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger la liste d’appels (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^liste-appels-.*\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain(calledName);
  await context.close();
});

test('the régie signs in, sees the referral with only what it needs, and marks it done', async () => {
  const { context, page } = await signedIn({ role: 'PARTNER', partner: REGIE });
  await openCampaigns(page);
  const received = page.getByTestId('received-referrals');
  await received.getByRole('heading', { name: 'Orientations reçues' }).waitFor();
  const referral = received.getByTestId('referral').filter({ hasText: title }).filter({ hasText: 'Courses' });
  await referral.waitFor();
  const text = spaces(await referral.textContent());
  expect(text).toMatch(/Adresse/);
  // The surname stays with the landlord: the partner is given the first name alone.
  const surname = calledName.replace(/^(Mme|M\.) /, '');
  expect(text).not.toContain(surname);
  await screenshot(page, 'campagne-orientations-recues-partner');
  await referral.getByRole('button', { name: 'Fait', exact: true }).click();
  await referral.getByTestId('referral-status').filter({ hasText: 'Fait' }).waitFor();
  await context.close();
});

test('the coordinator sees the progress the API gives, withheld figures said as such and never 0', async () => {
  type Count = { count: number | null; disclosure: Disclosure };
  type Figures = { households: Count; reached: Count; referralsDone: Count };
  const { campaign } = dataOf(
    await graph.request<{ campaign: { progress: { total: Figures; byLandlord: { landlord: { name: string }; figures: Figures }[] } } }>(
      `query($id: ID!) { campaign(id: $id) { progress {
        total { households { count disclosure } reached { count disclosure } referralsDone { count disclosure } }
        byLandlord { landlord { name } figures { households { count disclosure } reached { count disclosure } referralsDone { count disclosure } } } } } }`,
      { caller: COORDINATOR, variables: { id: campaignId } },
    ),
  );
  const rows = [
    ...campaign.progress.byLandlord.map((row) => ({ name: row.landlord.name, ...row.figures })),
    { name: 'Total', ...campaign.progress.total },
  ];
  const expected = rows.map((row) => [
    row.name,
    ...[row.households, row.reached, row.referralsDone].map((cell) =>
      disclosedFigure(cell.count, cell.disclosure, formatInteger, WITHHELD_SHORT),
    ),
  ]);

  const { context, page } = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  await openTheCampaign(page);
  const shown = await page
    .getByTestId('campaign-progress')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim())));
  expect(shown).toEqual(expected.map((row) => row.map(spaces)));
  // One household reached: a figure the small-cells rule withholds from the coordinator, shown as such and not as 0.
  expect(rows.some((row) => row.reached.disclosure.startsWith('WITHHELD'))).toBe(true);
  await screenshot(page, 'campagne-avancement-coordinator');
  await context.close();
});

test('a colleague records the call first: the caller is shown the conflict and the call as it is now, never a silent overwrite', async () => {
  const { context, page } = await signedIn({ role: 'LANDLORD_STAFF', landlord: TMH });
  await openTheCampaign(page);
  await page.getByRole('button', { name: 'Appeler le suivant' }).click();
  const card = page.getByTestId('call-card');
  await card.waitFor();

  // The same person in another tab (same token subject) records no answer on the call shown here.
  const sameCaller: Caller = { role: 'LANDLORD_STAFF', sub: 'demo-landlord_staff', landlordId: TMH };
  const { campaign } = dataOf(
    await graph.request<{ campaign: { myCallsToday: { id: string; version: number; heldByMe: boolean }[] } }>(
      `query($id: ID!) { campaign(id: $id) { myCallsToday { id version heldByMe } } }`,
      { caller: sameCaller, variables: { id: campaignId } },
    ),
  );
  const held = campaign.myCallsToday.find((call) => call.heldByMe)!;
  dataOf(
    await graph.request(`mutation($input: RecordCallAttemptInput!) { recordCallAttempt(input: $input) { id } }`, {
      caller: sameCaller,
      variables: { input: { callId: held.id, expectedVersion: held.version, outcome: 'NO_ANSWER' } },
    }),
  );

  await card.getByRole('button', { name: 'Faux numéro' }).click();
  await card.getByTestId('conflict').waitFor();
  await card.getByText(/: Pas de réponse$/).waitFor();
  expect(spaces(await card.getByTestId('call-status').textContent())).toMatch(/^À appeler — prochain essai le/);
  await screenshot(page, 'campagne-conflit-landlord-staff');
  await context.close();

  const { campaignCall } = dataOf(
    await graph.request<{ campaignCall: { status: string; attempts: { outcome: string }[] } }>(
      `query($id: ID!) { campaignCall(id: $id) { status attempts { outcome } } }`,
      { caller: sameCaller, variables: { id: held.id } },
    ),
  );
  expect(campaignCall).toEqual({ status: 'TO_CALL', attempts: [{ outcome: 'NO_ANSWER' }] });
});

test('staff of another landlord see none of the first landlord’s names or phones, on the page or in any answer it receives', async () => {
  const other = await householdSecrets({ landlordId: CHALETS });
  const first = await householdSecrets({ landlordId: TMH });
  // A name or a (fictional) number both landlords' tenants share proves nothing: only the first landlord's own are secrets.
  const own = (values: string[], others: string[]) => values.filter((value) => !others.includes(value));
  const secrets = [...own(first.phones, other.phones), ...first.ids, ...own(first.names, other.names)];
  expect(secrets.length).toBeGreaterThan(100);

  const { context, page } = await signedIn({ role: 'LANDLORD_STAFF', landlord: CHALETS });
  const seen = await seenBy(page, async () => {
    await openTheCampaign(page);
    await page.getByRole('button', { name: 'Appeler le suivant' }).click();
    await page.getByTestId('call-card').waitFor();
    await settled(page);
  });
  expect(secrets.filter((secret) => seen.includes(secret))).toEqual([]);
  await screenshot(page, 'campagne-autre-bailleur-landlord-staff');
  await context.close();
});

test('the campaign screens have no serious or critical axe-core violation, at desktop width and at 390 px', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    for (const identity of [
      { role: 'COORDINATOR', district: DISTRICT },
      { role: 'LANDLORD_STAFF', landlord: TMH },
      { role: 'PARTNER', partner: REGIE },
    ] as const) {
      const { context, page } = await signedIn(identity, viewport);
      await openCampaigns(page);
      if (identity.role !== 'PARTNER') {
        await openTheCampaign(page);
        await page.getByText('Ouvrir une campagne').click();
        if (identity.role === 'LANDLORD_STAFF') {
          await page.getByRole('button', { name: 'Appeler le suivant' }).click();
          await page.getByTestId('call-card').waitFor();
          await page
            .getByTestId('call-card')
            .getByLabel(/^Urgence santé/)
            .check();
        }
      }
      const violations = await seriousAccessibilityViolations(page);
      expect({ role: identity.role, width: viewport.width, violations }).toEqual({
        role: identity.role,
        width: viewport.width,
        violations: [],
      });
      await screenshot(page, `campagnes-${identity.role.toLowerCase()}-${viewport.width}`);
      await context.close();
    }
  }
});
