import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (the CI installs the `chromium` package); Playwright downloads no browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored). */
export const TEST_RESULTS_DIR = path.resolve(__dirname, '../../test-results');

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile (Playwright gives every launch a new temporary --user-data-dir), kept off
 * the network but for the pages it is sent to: without the background-networking flags it keeps calling Google's
 * services, which a closed network answers slowly.
 */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: install the chromium package or set CHROMIUM_PATH.`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  const file = path.join(TEST_RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A and AA rules, the ones RGAA maps to) in the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Who signs in on the development sign-in page: a role and the district, landlord or partner it speaks for. */
export type Identity =
  { role: 'COORDINATOR'; district: string } | { role: 'LANDLORD_STAFF'; landlord: string } | { role: 'PARTNER'; partner: string };

const IDENTITY_FIELD = { COORDINATOR: 'Quartier coordonné', LANDLORD_STAFF: 'Bailleur', PARTNER: 'Partenaire' } as const;

export const DESKTOP = { width: 1280, height: 900 };

/** Signs in through the development sign-in page at `origin`, as a person would, in a fresh French browser context. */
export async function signIn(
  chromium: TestBrowser,
  origin: string,
  identity: Identity,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByLabel('Rôle').selectOption(identity.role);
  const id =
    identity.role === 'COORDINATOR' ? identity.district : identity.role === 'LANDLORD_STAFF' ? identity.landlord : identity.partner;
  await page.getByLabel(IDENTITY_FIELD[identity.role]).selectOption(id);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('navigation', { name: 'Écrans' }).waitFor();
  return { context, page };
}
