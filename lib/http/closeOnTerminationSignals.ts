import type { Logger } from 'pino';

/**
 * Ctrl-C or SIGTERM closes the service gracefully, then exits 0 (1 if closing failed). Signals arriving
 * while it closes are ignored: a terminal delivers Ctrl-C to the launcher and to every child at once, and
 * the launcher forwards it again; neither should cut the drain short (the drain has its own time limit).
 */
export function closeOnTerminationSignals(service: { name: string; close(): Promise<void> }, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, `closing ${service.name}`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${service.name} did not close cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
