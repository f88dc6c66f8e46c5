/**
 * A data file that is not exactly what the server wrote: truncated, or with a byte changed. The server refuses
 * to start from it rather than load part of it silently; `npm run db:salvage` keeps what is intact.
 */
export class DataDamagedError extends Error {
  override name = 'DataDamagedError';

  constructor(
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `${path} is damaged at byte ${offset}: ${reason}. Nothing was loaded. ` +
        'Run `npm run db:salvage -- <data folder>` to keep what is intact and see exactly what is lost.',
    );
  }
}
