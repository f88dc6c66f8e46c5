/**
 * How the server evaluates queries. `native` (the default) takes the native paths described in README.md
 * ("How it stays fast enough"); `mingo` evaluates everything with mingo and copies documents as the server
 * did before those paths existed: the benchmark measures what they save with it, and it rules them out
 * when a result looks wrong.
 */
export type Evaluation = 'native' | 'mingo';

export const EVALUATIONS: readonly Evaluation[] = ['native', 'mingo'];
