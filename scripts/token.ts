/** `npm run -s token -- --role ROLE …`: prints one signed JWT on stdout and nothing else (`-s` silences npm's banner), for local use. */
import { authConfigFromEnv } from '../lib/auth/config';
import { signToken } from '../lib/auth/sign';
import { TOKEN_USAGE, TokenUsageError, tokenRequestFromArgs } from '../lib/auth/tokenRequest';

const USAGE_ERROR_EXIT_CODE = 2;

async function main(args: readonly string[]): Promise<void> {
  let request;
  try {
    request = tokenRequestFromArgs(args);
  } catch (error) {
    if (!(error instanceof TokenUsageError)) throw error;
    process.stderr.write(`${error.message}\n${TOKEN_USAGE}\n`);
    process.exitCode = USAGE_ERROR_EXIT_CODE;
    return;
  }

  const config = authConfigFromEnv();
  if (config.keySource.kind === 'secret' && config.keySource.isDevelopmentDefault) {
    process.stderr.write('Warning: JWT_SECRET is not set; signing with the development default secret.\n');
  }
  process.stdout.write(`${await signToken(request.claims, config, { expiresIn: request.expiresIn })}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
