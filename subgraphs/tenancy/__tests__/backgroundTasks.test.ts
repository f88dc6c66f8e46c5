import { tenancySubgraph } from '..';

describe("the tenancy subgraph's background tasks", () => {
  const saved = process.env.CAMPAIGN_PURGE_INTERVAL_MINUTES;
  afterEach(() => {
    if (saved === undefined) delete process.env.CAMPAIGN_PURGE_INTERVAL_MINUTES;
    else process.env.CAMPAIGN_PURGE_INTERVAL_MINUTES = saved;
  });

  it('reconcile request cells before serving and every minute, and close ended campaigns’ calls and purge call data at start and every CAMPAIGN_PURGE_INTERVAL_MINUTES', () => {
    process.env.CAMPAIGN_PURGE_INTERVAL_MINUTES = '5';
    const tasks = tenancySubgraph.backgroundTasks?.() ?? [];
    expect(
      tasks.map(({ name, everyMs, runAtStart, beforeServing }) => ({ name, everyMs, runAtStart, beforeServing: !!beforeServing })),
    ).toEqual([
      { name: 'request cells reconciliation', everyMs: 60_000, runAtStart: undefined, beforeServing: true },
      { name: 'campaign calls closing and call data purge', everyMs: 5 * 60_000, runAtStart: true, beforeServing: false },
    ]);
  });

  it('refuse an unusable purge interval when the subgraph starts', () => {
    process.env.CAMPAIGN_PURGE_INTERVAL_MINUTES = '0';
    expect(() => tenancySubgraph.backgroundTasks?.()).toThrow(/CAMPAIGN_PURGE_INTERVAL_MINUTES/);
  });
});
