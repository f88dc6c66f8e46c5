/** A setting that cannot be used; the message names the variable and says what it must be. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
}

/** Docker Compose passes unset optional variables as empty strings; treat them as unset. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A whole number of at least `minimum` from `env[name]`, `fallback` when unset; anything else throws ConfigError. */
export function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < minimum) {
    throw new ConfigError(`${name} must be a whole number of at least ${minimum}, not "${value}".`);
  }
  return number;
}
