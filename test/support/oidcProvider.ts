import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningOidcProvider {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/** Starts the real OpenID Connect provider of test/support/oidcProviderProcess.mjs in its own process. */
export async function startOidcProvider(options: {
  port: number;
  clientId: string;
  redirectUri: string;
  audience: string;
  /** Login name → the graph's role claims that the provider puts in its access tokens. */
  accounts: Record<string, Record<string, unknown>>;
}): Promise<RunningOidcProvider> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidcProviderProcess.mjs')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      OIDC_PORT: String(options.port),
      OIDC_CLIENT_ID: options.clientId,
      OIDC_REDIRECT_URI: options.redirectUri,
      OIDC_AUDIENCE: options.audience,
      OIDC_ACCOUNTS: JSON.stringify(options.accounts),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The OpenID Connect provider exited (${code}) before listening.`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
  });
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
