/** A small deterministic random generator (mulberry32), so that a failing generated case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `values`, drawn with `random`. */
export function picker(random: () => number): <T>(values: readonly T[]) => T {
  return (values) => values[Math.floor(random() * values.length)] as (typeof values)[number];
}
