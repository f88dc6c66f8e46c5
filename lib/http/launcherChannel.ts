/**
 * `npm start` runs each service with an IPC channel to the launcher (and a gateway worker has one to its primary).
 * The channel closes when the launcher ends, however it ends (`kill -9` included), and the service must then end
 * too: an orphan would keep its port (the next `npm start` failing on EADDRINUSE) and answer without the database
 * the launcher held. A service started any other way (docker, a process manager, the tests) has no such channel,
 * and none of this applies.
 */
let whenLauncherGone: () => void = () => process.exit(1);
let watching = false;

/** First thing in a service's entry: from then on, the launcher going away ends this process (at once, until `onLauncherGone`). */
export function exitWithLauncher(): void {
  if (watching || !process.connected) return;
  watching = true;
  process.once('disconnect', () => whenLauncherGone());
}

/** Once the service serves: the launcher going away runs `close`, which must end the process, instead of exiting at once. */
export function onLauncherGone(close: () => void): void {
  whenLauncherGone = close;
}
