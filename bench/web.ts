/**
 * `npm run bench:web`: how soon the district page ("Le quartier") is interactive with the demo data, and what the web
 * app weighs. The real graph (four subgraphs and the gateway serving the production build) on the embedded MongoDB
 * with the demo data; Debian's Chromium, a fresh browser context per run (cold cache), signed in as the district's
 * coordinator. "Interactive" is when the key figures and every building of the plan (buttons) are on the page,
 * measured from the start of navigation. Writes bench/web-results.json (or the path given as the first argument),
 * which is not tracked.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { seedDemoData } from '../scripts/seed/demo';
import { ensureWebBuild } from '../scripts/start/webBuild';
import { launchChromium } from '../test/support/browser';
import { startTestGraph } from '../test/support/testGraph';

// Request lines would drown the figures.
process.env.LOG_LEVEL ??= 'warn';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'web', 'dist');
const RUNS = 7;
const SESSION_KEY = 'quartier-commun.session';

interface AssetSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

function assetSizes(): AssetSize[] {
  const assets = path.join(DIST, 'assets');
  return readdirSync(assets)
    .filter((file) => statSync(path.join(assets, file)).isFile())
    .map((file) => {
      const content = readFileSync(path.join(assets, file));
      return { file: `assets/${file}`, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
}

/** The JavaScript the entry page loads before anything else: its module script and the modules it preloads. */
function firstLoadJavaScript(sizes: AssetSize[]): AssetSize[] {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const referenced = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]));
  return sizes.filter((size) => referenced.has(size.file));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(outputPath: string): Promise<void> {
  await ensureWebBuild(ROOT);
  const graph = await startTestGraph();
  const chromium = await launchChromium();
  try {
    await seedDemoData(graph.db);
    const origin = new URL(graph.gatewayUrl).origin;
    const token = await graph.token({ role: 'COORDINATOR', sub: 'bench', districtIds: ['district-grand-mirail'] });
    const buildings = (await graph.db.collection('buildings').countDocuments({ districtId: 'district-grand-mirail' })) || 1;
    const interactiveMs: number[] = [];
    const domContentLoadedMs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await chromium.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
      await context.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [SESSION_KEY, token] as const);
      const page = await context.newPage();
      await page.goto(`${origin}/quartier`);
      await page.getByTestId('key-figures').waitFor();
      await page.waitForFunction((count) => document.querySelectorAll('.plan-building').length >= count, buildings);
      const timing = await page.evaluate(() => {
        const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return { interactive: performance.now(), domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN };
      });
      // The first run warms the gateway's query plans and the database: reported, not counted.
      if (run > 0) {
        interactiveMs.push(timing.interactive);
        domContentLoadedMs.push(timing.domContentLoaded);
      }
      await context.close();
    }
    const sizes = assetSizes();
    const firstLoad = firstLoadJavaScript(sizes);
    const result = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100), node: process.version },
      districtPage: {
        runs: interactiveMs.length,
        interactiveMs: {
          median: Math.round(median(interactiveMs)),
          min: Math.round(Math.min(...interactiveMs)),
          max: Math.round(Math.max(...interactiveMs)),
        },
        domContentLoadedMs: { median: Math.round(median(domContentLoadedMs)) },
      },
      bundle: {
        firstLoadJavaScript: {
          bytes: firstLoad.reduce((sum, size) => sum + size.bytes, 0),
          gzipBytes: firstLoad.reduce((sum, size) => sum + size.gzipBytes, 0),
        },
        assets: sizes,
      },
    };
    writeFileSync(outputPath, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify({ districtPage: result.districtPage, firstLoadJavaScript: result.bundle.firstLoadJavaScript }, null, 2));
    console.log(`${path.relative(process.cwd(), outputPath)} written`);
  } finally {
    await chromium.close();
    await graph.close();
  }
}

main(path.resolve(process.argv[2] ?? path.join(__dirname, 'web-results.json'))).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
