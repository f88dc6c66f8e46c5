/**
 * How the server evaluates queries. `native` (the default) takes the native fast paths described in
 * README.md ("How it stays fast enough"); `mingo` turns them off and copies documents as the server did
 * before those paths existed, leaving everything to the general evaluation (the server's matcher and
 * sort, and mingo with the operators of query/expressions.ts): the benchmark measures what the fast
 * paths save with it, and it rules them out when a result looks wrong.
 */
export type Evaluation = 'native' | 'mingo';

export const EVALUATIONS: readonly Evaluation[] = ['native', 'mingo'];
