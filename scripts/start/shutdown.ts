import type { Logger } from 'pino';

/**
 * The launcher's way out: undo what was started, newest first (the gateway before the subgraphs it calls,
 * the subgraphs before their database), then exit. Only the first request to shut down counts.
 */
export class Shutdown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private started = false;

  constructor(private readonly logger: Logger) {}

  get isUnderway(): boolean {
    return this.started;
  }

  onShutdown(name: string, run: () => Promise<unknown>): void {
    this.steps.unshift({ name, run });
  }

  async exit(code: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    let failed = false;
    for (const step of this.steps) {
      try {
        await step.run();
      } catch (error) {
        failed = true;
        this.logger.error({ err: error }, `could not stop ${step.name}`);
      }
    }
    process.exit(failed ? 1 : code);
  }
}
