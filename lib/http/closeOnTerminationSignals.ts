import type { Logger } from 'pino';
import { onLauncherGone } from './launcherChannel';

// Without its launcher, a service that cannot close in this time exits anyway: lingering is the failure to avoid
// (and closing may wait on a database that went with the launcher).
const ORPHAN_EXIT_MS = 5_000;

/**
 * Ctrl-C, SIGTERM, or the launcher going away (see launcherChannel) closes the service gracefully, then exits 0
 * (1 if closing failed). Signals arriving while it closes are ignored: a terminal delivers Ctrl-C to the launcher
 * and to every child at once, and the launcher forwards it again; neither should cut the drain short (the drain
 * has its own time limit).
 */
export function closeOnTerminationSignals(service: { name: string; close(): Promise<void> }, logger: Logger): void {
  let closing = false;
  const close = (reason: { signal: NodeJS.Signals } | { launcher: 'gone' }) => {
    if (closing) return;
    closing = true;
    logger.info(reason, `closing ${service.name}`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${service.name} did not close cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', (signal) => close({ signal }));
  process.on('SIGTERM', (signal) => close({ signal }));
  onLauncherGone(() => {
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    close({ launcher: 'gone' });
  });
}
