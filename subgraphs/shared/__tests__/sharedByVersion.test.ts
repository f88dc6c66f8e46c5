import { SharedByVersion } from '../sharedByVersion';

/** Values shared by version: the request statistics' disclosed tables (tenancy) and the districts' stock (housing). */
describe('SharedByVersion', () => {
  it('are computed again when time alone changes them, and weigh at most the size given', async () => {
    let now = 1_000;
    const shared = new SharedByVersion<unknown>(100, () => now);
    let computed = 0;
    const compute = (size: number, trueUntil: number) => async () => {
      computed += 1;
      return { value: { computed }, size, trueUntil };
    };
    await shared.get('a', 'v1', compute(60, 2_000));
    await shared.get('a', 'v1', compute(60, 2_000));
    expect(computed).toBe(1);
    now = 2_000;
    await shared.get('a', 'v1', compute(60, 3_000));
    expect(computed).toBe(2);
    await shared.get('a', 'v2', compute(60, 3_000));
    expect(computed).toBe(3);
    await shared.get('b', 'v1', compute(60, 3_000));
    await shared.get('a', 'v2', compute(60, 3_000));
    expect(computed).toBe(5);
    await shared.get('c', null, compute(1, 3_000));
    await shared.get('c', null, compute(1, 3_000));
    expect(computed).toBe(7);
  });

  it('are not waited for behind a computation that hangs: a later request computes its own', async () => {
    let now = 1_000;
    const shared = new SharedByVersion<unknown>(100, () => now);
    void shared.get('a', 'v1', () => new Promise<never>(() => undefined));
    const computed = { value: { fresh: true }, size: 1, trueUntil: Infinity };
    // Soon after, a request waits for the computation underway (it would compute the same)...
    now += 1_000;
    const joined = await Promise.race([
      shared.get('a', 'v1', async () => computed).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 50)),
    ]);
    expect(joined).toBe('waiting');
    // ...but not once it has run far longer than any computation takes: the database read under it hung.
    now += 60_000;
    expect(await shared.get('a', 'v1', async () => computed)).toEqual({ fresh: true });
  });
});
