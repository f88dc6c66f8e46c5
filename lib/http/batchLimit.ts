export class BatchTooLargeError extends Error {
  constructor(
    readonly maxBatchSize: number,
    readonly batchSize: number,
  ) {
    super(`The request batches ${batchSize} operations; at most ${maxBatchSize} are allowed in one request.`);
    this.name = 'BatchTooLargeError';
  }
}

/**
 * A JSON array body is a batch of operations (when Apollo's `allowBatchedHttpRequests` is on). Each runs
 * as a request of its own, so a batch multiplies the work one HTTP request can ask for; this bounds it.
 */
export function refuseOversizedBatch(body: unknown, maxBatchSize: number): void {
  if (Array.isArray(body) && body.length > maxBatchSize) throw new BatchTooLargeError(maxBatchSize, body.length);
}
