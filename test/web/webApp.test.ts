import { readFileSync } from 'node:fs';
import type { Page, Response } from 'playwright-core';
import type { Caller } from '../../lib/auth/caller';
import { seedDemoData } from '../../scripts/seed/demo';
import { householdsCollection } from '../../subgraphs/tenancy/data/households';
import { serviceRequestsCollection } from '../../subgraphs/tenancy/data/serviceRequests';
import { WITHHELD, disclosedFigure, formatHours, formatInteger, formatPercent } from '../../web/src/format';
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
 * The web app in a real browser (Debian's Chromium) against the real graph: the gateway serving the production build
 * beside /graphql, the four subgraphs, the demo data.
 */
const DISTRICT = 'district-grand-mirail';
const TMH = 'landlord-tmh';
const CHALETS = 'landlord-chalets';
const COORDINATOR: Caller = { role: 'COORDINATOR', sub: 'demo-coordinator', districtIds: [DISTRICT] };

jest.setTimeout(120_000);

let graph: TestGraph;
let chromium: TestBrowser;
let origin: string;

beforeAll(async () => {
  graph = await startTestGraph();
  await seedDemoData(graph.db);
  chromium = await launchChromium();
  origin = new URL(graph.gatewayUrl).origin;
}, 300_000);

afterAll(async () => {
  // Either is missing when beforeAll failed part-way; the other must still be closed.
  const started = [chromium, graph] as ({ close(): Promise<unknown> } | undefined)[];
  for (const resource of started) await resource?.close();
});

/** Signs in through the development sign-in page, as a person would. */
const signedIn = (identity: Identity, viewport = DESKTOP) => signIn(chromium, origin, identity, viewport);

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[role="status"].muted').length === 0);
}

const spaces = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

test('the gateway serves the app at / with cache headers, keeps /graphql and /health, and signs development tokens', async () => {
  const page = await fetch(`${origin}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('cache-control')).toBe('no-cache');
  const html = await page.text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeDefined();
  expect((await fetch(`${origin}${asset}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await fetch(`${origin}/actions`)).headers.get('content-type')).toMatch(/text\/html/);
  expect((await fetch(`${origin}/../package.json`)).status).toBe(404);
  expect((await fetch(`${origin}/health`)).status).toBe(200);
  expect((await fetch(`${origin}/auth/config`).then((response) => response.json())) as unknown).toEqual({ mode: 'development' });
  const refused = await fetch(`${origin}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'LANDLORD_STAFF' }) });
  expect(refused.status).toBe(400);
});

interface ApiStats {
  disclosure: Disclosure;
  total: number | null;
  open: number | null;
  acknowledgedWithin48hRate: number | null;
  medianResolutionHours: number | null;
}
const STATS_FIELDS = 'disclosure total open acknowledgedWithin48hRate medianResolutionHours';

/** The district's figures and its buildings' for one cell, as the API gives them to `caller`. */
async function apiStats(caller: Caller, period: { year: number; quarter?: number; month?: number }) {
  const { district } = dataOf(
    await graph.request<{
      district: {
        landlords: unknown[];
        stock: { dwellings: number; buildings: number };
        requestStats: ApiStats;
        buildings: {
          nodes: {
            id: string;
            address: { label: string };
            landlord: { id: string; name: string };
            dwellingCount: number;
            requestStats: ApiStats;
          }[];
        };
      };
    }>(
      `query($id: ID!, $period: StatsPeriod!) { district(id: $id) { landlords { id } stock { dwellings buildings }
        requestStats(period: $period) { ${STATS_FIELDS} }
        buildings(first: 100) { nodes { id address { label } landlord { id name } dwellingCount requestStats(period: $period) { ${STATS_FIELDS} } } } } }`,
      { caller, variables: { id: DISTRICT, period } },
    ),
  );
  return district;
}

/** The key figures on the page are the API's, withheld ones included (their label, never 0). */
async function expectKeyFigures(page: Page, stats: ApiStats): Promise<void> {
  await page.locator('[data-testid="key-figures"][aria-busy="false"]').waitFor();
  expect(spaces(await page.getByTestId('total-requests').textContent())).toBe(spaces(disclosedFigure(stats.total, stats.disclosure)));
  expect(spaces(await page.getByTestId('open-requests').textContent())).toBe(spaces(disclosedFigure(stats.open, stats.disclosure)));
  expect(spaces(await page.getByTestId('ack-rate').textContent())).toBe(
    spaces(disclosedFigure(stats.acknowledgedWithin48hRate, stats.disclosure, formatPercent)),
  );
  expect(spaces(await page.getByTestId('median-resolution').textContent())).toBe(
    spaces(disclosedFigure(stats.medianResolutionHours, stats.disclosure, formatHours)),
  );
}

const buildingButton = (page: Page, building: { address: { label: string }; landlord: { name: string }; dwellingCount: number }) =>
  page.getByRole('button', {
    name: `${building.address.label}, ${building.landlord.name}, ${building.dwellingCount} logements`,
    exact: true,
  });

test('a coordinator signs in and sees the same key figures as the API gives for the current year, then for a month picked, and a building card from the plan', async () => {
  const { context, page } = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  const now = new Date();
  const year = now.getUTCFullYear();
  const district = await apiStats(COORDINATOR, { year });
  await page.getByTestId('key-figures').waitFor();
  expect(spaces(await page.getByTestId('dwellings').textContent())).toBe(spaces(formatInteger(district.stock.dwellings)));
  expect(spaces(await page.getByTestId('buildings').textContent())).toBe(spaces(formatInteger(district.stock.buildings)));
  expect(spaces(await page.getByTestId('landlords').textContent())).toBe(String(district.landlords.length));
  await expectKeyFigures(page, district.requestStats);

  // A month picked: the figures of that cell.
  const month = now.getUTCMonth() + 1;
  await page.getByRole('combobox', { name: /^Période/ }).selectOption(`M${month}`);
  await expectKeyFigures(page, (await apiStats(COORDINATOR, { year, month })).requestStats);
  await page.getByRole('combobox', { name: /^Période/ }).selectOption('');
  await page.locator('[data-testid="key-figures"][aria-busy="false"]').waitFor();

  // The plan is keyboard-usable: a building is a button that opens its card.
  const building = page.locator('.plan-building').first();
  await building.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('building-card').waitFor();
  await screenshot(page, 'quartier-coordinator');
  await context.close();
});

test('a building with fewer than 11 requests of other landlords this year shows « secret statistique » to the coordinator, as the API withholds it, and exact figures to its own landlord', async () => {
  const year = new Date().getUTCFullYear();
  const district = await apiStats(COORDINATOR, { year });
  const requestsThisYear = (buildingId: string) =>
    serviceRequestsCollection(graph.db).countDocuments({ buildingId, openedAt: { $gte: new Date(Date.UTC(year, 0, 1)) } });
  const withheld = [];
  for (const candidate of district.buildings.nodes.filter((node) => node.requestStats.disclosure === 'WITHHELD_SMALL_CELL')) {
    withheld.push({ building: candidate, requests: await requestsThisYear(candidate.id) });
  }
  // The API agrees with the data: a withheld building has fewer than 11 requests (all of other landlords, for a coordinator).
  expect(withheld.filter(({ requests }) => requests >= 11)).toEqual([]);
  const { building, requests } = withheld.find((entry) => entry.requests > 0)!;
  expect(building.requestStats).toEqual({
    disclosure: 'WITHHELD_SMALL_CELL',
    total: null,
    open: null,
    acknowledgedWithin48hRate: null,
    medianResolutionHours: null,
  });

  const coordinator = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  await coordinator.page.locator('[data-testid="key-figures"][aria-busy="false"]').waitFor();
  await buildingButton(coordinator.page, building).click();
  const total = coordinator.page.getByTestId('building-total');
  expect(spaces(await total.textContent())).toBe(WITHHELD.WITHHELD_SMALL_CELL);
  expect(spaces(await coordinator.page.getByTestId('building-open').textContent())).toBe(WITHHELD.WITHHELD_SMALL_CELL);
  expect(await total.getAttribute('data-disclosure')).toBe('WITHHELD_SMALL_CELL');
  expect(await total.getAttribute('title')).toMatch(/Moins de 11 demandes/);
  // The explanation is the accessible description of the withheld figure.
  const note = await total.getAttribute('aria-describedby');
  expect(spaces(await coordinator.page.locator(`#${note}`).textContent())).toMatch(
    /^Secret statistique : aucun chiffre partagé ne repose sur moins de 11 demandes/,
  );
  // The monthly trend's table says the same of every month the API withholds, and gives the others' counts.
  const { district: trend } = dataOf(
    await graph.request<{ district: { requestStats: { byMonth: { month: string; count: number | null; disclosure: Disclosure }[] } } }>(
      `query($id: ID!, $period: StatsPeriod!) { district(id: $id) { requestStats(period: $period) { byMonth { month count disclosure } } } }`,
      { caller: COORDINATOR, variables: { id: DISTRICT, period: { year } } },
    ),
  );
  await coordinator.page.getByText('Voir les chiffres').click();
  const rows = coordinator.page.locator('.chart tbody tr');
  expect(await rows.locator('td').allTextContents()).toEqual(
    trend.requestStats.byMonth.map((row) => disclosedFigure(row.count, row.disclosure)),
  );
  await coordinator.page.getByTestId('building-card').scrollIntoViewIfNeeded();
  await screenshot(coordinator.page, 'quartier-secret-statistique-coordinator');
  await coordinator.context.close();

  // Its own landlord reads the same cell exactly, marked as such.
  const ownStaff: Caller = { role: 'LANDLORD_STAFF', sub: 'staff', landlordId: building.landlord.id };
  const own = (await apiStats(ownStaff, { year })).buildings.nodes.find((candidate) => candidate.id === building.id)!;
  expect(own.requestStats).toMatchObject({ disclosure: 'EXACT', total: requests });
  const staff = await signedIn({ role: 'LANDLORD_STAFF', landlord: building.landlord.id });
  await staff.page.locator('[data-testid="key-figures"][aria-busy="false"]').waitFor();
  await buildingButton(staff.page, building).click();
  expect(spaces(await staff.page.getByTestId('building-total').textContent())).toBe(formatInteger(requests));
  await staff.page.getByTestId('building-exact').waitFor();
  await screenshot(staff.page, 'quartier-chiffres-exacts-landlord-staff');
  await staff.context.close();
});

test('an action goes from proposal to outcome through the UI: proposed by one landlord, which invites another, whose staff accept; scheduled and completed by the coordinator', async () => {
  const title = `Opération propreté au pied des tours ${Date.now()}`;
  const proposer = await signedIn({ role: 'LANDLORD_STAFF', landlord: TMH });
  await openScreen(proposer.page, 'Actions');
  await proposer.page.getByText('Proposer une action').click();
  // A refused field is shown beside it (BAD_USER_INPUT's extensions.field).
  await proposer.page.getByRole('button', { name: 'Proposer', exact: true }).click();
  await expect(proposer.page.locator('#propose-title-error').textContent()).resolves.toContain('intitulé');
  await expect(proposer.page.getByLabel('Intitulé').getAttribute('aria-invalid')).resolves.toBe('true');
  await proposer.page.getByLabel('Intitulé').fill(title);
  await proposer.page.getByLabel('Axe de l’abattement de TFPB').selectOption('EXTRA_MAINTENANCE');
  await proposer.page.getByRole('button', { name: 'Proposer', exact: true }).click();
  await proposer.page.getByTestId('action-panel').getByRole('heading', { name: title }).waitFor();
  await proposer.page.getByLabel('Bailleur à inviter').selectOption(CHALETS);
  await proposer.page.getByRole('button', { name: 'Inviter', exact: true }).click();
  await proposer.page.getByTestId('action-invitations').filter({ hasText: 'Groupe des Chalets (en attente)' }).waitFor();
  await screenshot(proposer.page, 'actions-landlord-staff');
  await proposer.context.close();

  const invited = await signedIn({ role: 'LANDLORD_STAFF', landlord: CHALETS });
  await openScreen(invited.page, 'Actions');
  await invited.page.getByTestId('pending-invitations').getByRole('button', { name: title }).click();
  await invited.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await invited.page.getByTestId('action-organisers').filter({ hasText: 'Groupe des Chalets' }).waitFor();
  await invited.context.close();

  const coordinator = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  await openScreen(coordinator.page, 'Actions');
  await coordinator.page.getByRole('button', { name: new RegExp(title) }).click();
  await coordinator.page.getByLabel('Début').fill('2026-06-13T10:00');
  await coordinator.page.getByLabel('Fin').fill('2026-06-13T12:00');
  await coordinator.page.getByRole('button', { name: 'Programmer' }).click();
  await coordinator.page.getByTestId('action-status').filter({ hasText: 'Programmée' }).waitFor();
  await coordinator.page.getByLabel('Participants').fill('42');
  await coordinator.page.getByLabel('Bilan', { exact: true }).fill('Deux bennes remplies');
  await coordinator.page.getByRole('button', { name: 'Clore l’action' }).click();
  await coordinator.page.getByTestId('action-status').filter({ hasText: 'Réalisée' }).waitFor();
  await screenshot(coordinator.page, 'actions-coordinator');
  await coordinator.context.close();

  const { district } = dataOf(
    await graph.request<{
      district: { actions: { title: string; status: string; organisers: { id: string }[]; outcome: { participants: number } | null }[] };
    }>(`query($id: ID!) { district(id: $id) { actions { title status organisers { id } outcome { participants } } } }`, {
      caller: COORDINATOR,
      variables: { id: DISTRICT },
    }),
  );
  const action = district.actions.find((candidate) => candidate.title === title);
  expect(action).toMatchObject({ status: 'DONE', outcome: { participants: 42 } });
  expect(action?.organisers.map((organiser) => organiser.id).sort()).toEqual([CHALETS, TMH].sort());
});

test('two coordinators edit one action: the second is shown the conflict and the fresh version, never a silent overwrite', async () => {
  const { proposeAction } = dataOf(
    await graph.request<{ proposeAction: { id: string; title: string } }>(
      `mutation($input: ProposeActionInput!) { proposeAction(input: $input) { id title } }`,
      {
        caller: { role: 'LANDLORD_STAFF', sub: 'staff', landlordId: TMH },
        variables: { input: { districtId: DISTRICT, title: `Fête des voisins ${Date.now()}`, kind: 'SOCIAL_EVENT' } },
      },
    ),
  );
  const first = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  const second = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  for (const { page } of [first, second]) {
    await openScreen(page, 'Actions');
    await page.getByRole('button', { name: new RegExp(proposeAction.title) }).click();
  }
  await first.page.getByLabel('Début').fill('2026-07-04T18:00');
  await first.page.getByLabel('Fin').fill('2026-07-04T22:00');
  await first.page.getByRole('button', { name: 'Programmer' }).click();
  await first.page.getByTestId('action-status').filter({ hasText: 'Programmée' }).waitFor();

  await second.page.getByLabel('Motif d’annulation').fill('Météo');
  await second.page.getByRole('button', { name: 'Annuler l’action' }).click();
  await second.page.getByTestId('conflict').waitFor();
  expect(spaces(await second.page.getByTestId('action-status').textContent())).toBe('Programmée');
  await screenshot(second.page, 'actions-conflict');
  await first.context.close();
  await second.context.close();

  const { action } = dataOf(
    await graph.request<{ action: { status: string } }>(`query($id: ID!) { action(id: $id) { status } }`, {
      caller: COORDINATOR,
      variables: { id: proposeAction.id },
    }),
  );
  expect(action.status).toBe('SCHEDULED');
});

test('the TFPB report shows the API’s total, prints without the controls, and exports a French CSV', async () => {
  const year = new Date().getFullYear();
  const { tfpbReport } = dataOf(
    await graph.request<{ tfpbReport: { totalCostCents: number; axes: { axis: string; actionCount: number }[] } }>(
      `query($l: ID!, $d: ID!, $y: Int!) { tfpbReport(landlordId: $l, districtId: $d, year: $y) { totalCostCents axes { axis actionCount } } }`,
      { caller: COORDINATOR, variables: { l: CHALETS, d: DISTRICT, y: year } },
    ),
  );
  const { context, page } = await signedIn({ role: 'COORDINATOR', district: DISTRICT });
  await openScreen(page, 'Abattement TFPB');
  await page.getByLabel('Bailleur').selectOption(CHALETS);
  await page.getByRole('heading', { name: /Groupe des Chalets/ }).waitFor();
  const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(tfpbReport.totalCostCents / 100);
  expect(spaces(await page.getByTestId('tfpb-total').textContent())).toBe(spaces(euros));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith("\uFEFFAxe;Nombre d'actions;Participants;Coût (€)\r\n")).toBe(true);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines).toHaveLength(tfpbReport.axes.length + 2);
  expect(lines.at(-1)).toMatch(new RegExp(`^Total;\\d+;\\d+;${(tfpbReport.totalCostCents / 100).toFixed(2).replace('.', ',')}$`));

  await page.emulateMedia({ media: 'print' });
  expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
  expect(await page.getByRole('navigation', { name: 'Écrans' }).isVisible()).toBe(false);
  await screenshot(page, 'abattement-tfpb-impression');
  await context.close();
});

const SCREENS = ['Le quartier', 'Actions', 'Abattement TFPB', 'Partenaires'];

test('staff of one landlord see no private value of another landlord, in any page or any answer the pages receive', async () => {
  const others = { landlordId: { $ne: TMH } };
  const privateRequests = await serviceRequestsCollection(graph.db)
    .find(others)
    .project<{ _id: string; description: string | null }>({ _id: 1, description: 1 })
    .toArray();
  const privateHouseholds = await householdsCollection(graph.db)
    .find(others)
    .project<{ _id: string; contactName: string | null; phone: string | null }>({ _id: 1, contactName: 1, phone: 1 })
    .toArray();
  const secrets = [
    ...privateRequests.flatMap((request) => [request._id, request.description]),
    ...privateHouseholds.flatMap((household) => [household._id, household.contactName, household.phone]),
  ].filter((value): value is string => typeof value === 'string' && value.length >= 6);
  expect(secrets.length).toBeGreaterThan(100);

  const { context, page } = await signedIn({ role: 'LANDLORD_STAFF', landlord: TMH });
  const answers: Promise<string>[] = [];
  const collect = (response: Response) => {
    if (response.url().endsWith('/graphql')) answers.push(response.text());
  };
  page.on('response', collect);
  const texts: string[] = [];
  for (const screen of [...SCREENS, 'Mes réclamations']) {
    await openScreen(page, screen);
    texts.push(await page.locator('body').innerText());
  }
  // The table shows while its requests load (aria-busy): wait for their answer, or it may come after listening ends.
  await page.locator('[data-testid="requests-table"][aria-busy="false"]').waitFor();
  texts.push(await page.locator('body').innerText());
  await screenshot(page, 'reclamations-landlord-staff');

  page.off('response', collect);
  const everything = [...texts, ...(await Promise.all(answers))].join('\n');
  expect(answers.length).toBeGreaterThan(4);
  expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);

  // Their own requests they may move on: the change is saved in the graph.
  await page.getByLabel('Statut', { exact: true }).selectOption('IN_PROGRESS');
  await page.locator('[data-testid="requests-table"][aria-busy="false"]').waitFor();
  const firstChange = page.getByRole('combobox', { name: /^Nouveau statut/ }).first();
  await firstChange.waitFor();
  await firstChange.selectOption('RESOLVED');
  await page.getByText('Réclamation passée à « Résolue ».').waitFor();
  expect(
    await serviceRequestsCollection(graph.db).countDocuments({
      landlordId: TMH,
      status: 'RESOLVED',
      'audit.updatedBy': 'demo-landlord_staff',
    }),
  ).toBe(1);
  await context.close();
});

test('every screen, at desktop width and at 390 px, has no serious or critical axe-core violation', async () => {
  for (const [identity, screens] of [
    [{ role: 'COORDINATOR', district: DISTRICT }, SCREENS],
    [{ role: 'LANDLORD_STAFF', landlord: TMH }, ['Mes réclamations']],
    [{ role: 'PARTNER', partner: 'partner-regie-mirail' }, ['Le quartier', 'Actions', 'Partenaires']],
  ] as const) {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const { context, page } = await signedIn(identity, viewport);
      for (const screen of screens) {
        await openScreen(page, screen);
        const violations = await seriousAccessibilityViolations(page);
        expect({ screen, width: viewport.width, violations }).toEqual({ screen, width: viewport.width, violations: [] });
        await screenshot(
          page,
          `${screen
            .normalize('NFD')
            .replace(/[^\w]+/g, '-')
            .toLowerCase()}-${identity.role.toLowerCase()}-${viewport.width}`,
        );
      }
      await context.close();
    }
  }
  const signInPage = await chromium.browser.newPage();
  await signInPage.goto(`${origin}/`);
  await signInPage.getByRole('button', { name: 'Se connecter' }).waitFor();
  expect(await seriousAccessibilityViolations(signInPage)).toEqual([]);
  await screenshot(signInPage, 'connexion');
  await signInPage.close();
});
