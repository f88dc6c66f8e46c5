import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { authConfigFromEnv } from '../config';
import { verifyBearer } from '../verify';

const repositoryRoot = path.resolve(__dirname, '../../..');
const JWT_LINE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/;

/** As the README says to run it: `npm run -s token -- …`, npm's own banner silenced, so stdout is the token alone. */
function runTokenCli(args: string[]) {
  return spawnSync('npm', ['run', '-s', 'token', '--', ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', JWT_SECRET: 'cli-test-secret', JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_URL: '' },
    timeout: 60_000,
  });
}

describe('npm run -s token', () => {
  it('prints exactly one JWT line that the services accept', async () => {
    const result = runTokenCli(['--role', 'LANDLORD_STAFF', '--landlord', 'landlord-1', '--sub', 'lea']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(JWT_LINE);
    const caller = await verifyBearer(`Bearer ${result.stdout.trim()}`, authConfigFromEnv({ JWT_SECRET: 'cli-test-secret' }));
    expect(caller).toEqual({ role: 'LANDLORD_STAFF', sub: 'lea', landlordId: 'landlord-1' });
  });

  it('exits with code 2 and explains a usage mistake on stderr only', () => {
    const result = runTokenCli(['--role', 'LANDLORD_STAFF']);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('LANDLORD_STAFF needs --landlord ID.');
  });
});
