import type { JWTPayload } from 'jose';

/** A duration as `--expires` and MAX_TOKEN_LIFETIME write it: a positive whole number of seconds, minutes, hours or days. */
const DURATION = /^([1-9]\d*)([smhd])$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** How long a token may live (`exp - iat`) unless MAX_TOKEN_LIFETIME says otherwise: a working day. */
export const DEFAULT_MAX_TOKEN_LIFETIME = '12h';

/** How far in the future `iat` may be: the issuer's clock may run a little ahead of ours, not more. */
export const ISSUED_AT_CLOCK_SKEW_SECONDS = 60;

/** The seconds `text` stands for (e.g. "30m" → 1800), or undefined when it is not such a duration. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** A duration in the largest unit that writes it whole, as people set it: 43200 → "12h". */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/**
 * Why a verified token's lifetime is refused, or null: a leaked token must not stay usable for longer than a working
 * day, so `exp - iat` is bounded, and a future `iat` (which would stretch the real lifetime past the bound) refused.
 * `exp` and `iat` are present and numeric: the signature check requires them.
 */
export function lifetimeRefusal(
  claims: Required<Pick<JWTPayload, 'exp' | 'iat'>>,
  maxLifetimeSeconds: number,
  nowSeconds: number,
): string | null {
  if (claims.iat > nowSeconds + ISSUED_AT_CLOCK_SKEW_SECONDS) return 'Your token says it was issued in the future; get a new one.';
  if (claims.exp - claims.iat > maxLifetimeSeconds) {
    return `Your token lives longer than this service accepts (at most ${formatDuration(maxLifetimeSeconds)}); get a shorter-lived one.`;
  }
  return null;
}
