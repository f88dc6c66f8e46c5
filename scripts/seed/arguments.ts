import { parseArgs } from 'node:util';
import { COUNT_NAMES, type SeedCounts, seedCounts } from './counts';

/** A mistake in the command line: the message, then the usage, go to stderr. */
export class UsageError extends Error {}

export interface SeedArguments {
  scale: number;
  counts: Partial<SeedCounts>;
  drop: boolean;
}

/** `--scale N`, the counts (`--landlords N`…), and `--drop` where `allowDrop`. */
export function seedArguments(args: readonly string[], { allowDrop }: { allowDrop: boolean }): SeedArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string', default: '1' },
        ...(allowDrop && { drop: { type: 'boolean' as const, default: false } }),
        ...Object.fromEntries(COUNT_NAMES.map((name) => [name, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const whole = (option: string, text: string) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`--${option} must be a whole number, not "${text}".`);
    return Number(text);
  };
  const counts: Partial<SeedCounts> = {};
  for (const name of COUNT_NAMES) {
    const text = (values as Record<string, unknown>)[name];
    if (typeof text === 'string') counts[name] = whole(name, text);
  }
  const scale = whole('scale', values.scale);
  try {
    seedCounts(scale, counts);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { scale, counts, drop: (values as { drop?: boolean }).drop === true };
}
