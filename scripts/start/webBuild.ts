import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** The web app's sources: a build older than any of them is stale. */
const SOURCES = ['index.html', 'vite.config.ts', 'src'];

/** The newest modification time under `entry` (a file or a folder), 0 when it does not exist. */
function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** Whether web/dist is missing or older than a source of the web app. */
export function webBuildIsStale(webDir: string): boolean {
  const built = path.join(webDir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  return Math.max(...SOURCES.map((source) => newestChange(path.join(webDir, source)))) > statSync(built).mtimeMs;
}

/**
 * Builds the web app for production with Vite when its build is missing or stale, so that `npm start` serves the
 * current app with no other command. Resolves 'built', 'fresh' (nothing to do) or 'unavailable' (Vite is not
 * installed, e.g. a production install without dev dependencies: the gateway then serves GraphQL alone).
 */
export async function ensureWebBuild(root: string): Promise<'built' | 'fresh' | 'unavailable'> {
  const webDir = path.join(root, 'web');
  if (!webBuildIsStale(webDir)) return 'fresh';
  const viteCli = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(viteCli)) return 'unavailable';
  // Built aside, then moved into place: a gateway serving the old build, or another build running at the same time,
  // never sees half a build.
  const building = path.join(webDir, `dist.building-${process.pid}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteCli, 'build', webDir, '--outDir', building, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      // A production build whatever the caller's NODE_ENV (jest sets 'test', which would bundle React's development build).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`The web app's build failed (vite exited with ${code}).`))));
  }).catch((error: unknown) => {
    rmSync(building, { recursive: true, force: true });
    throw error;
  });
  const dist = path.join(webDir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  renameSync(building, dist);
  return 'built';
}
