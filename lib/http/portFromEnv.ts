import { nonEmpty } from '../config/envVariables';

/** A TCP port from an environment variable, or `fallback` when it is unset; anything else is a startup error. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, not "${value}".`);
  }
  return port;
}
