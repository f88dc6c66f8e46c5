import path from 'node:path';
import { ensureWebBuild } from '../../scripts/start/webBuild';

/**
 * Once before any test: the web app's production build, when missing or stale, so that the gateway of every test
 * graph and every launcher serves the current app, and no two test files build it at once.
 */
export default async function globalSetup(): Promise<void> {
  await ensureWebBuild(path.resolve(__dirname, '../..'));
}
