/**
 * `npm run db:salvage -- FOLDER`: keeps what is intact in a damaged data folder of the embedded MongoDB (one
 * the server refuses to start from), writes a fresh checkpoint, copies the damaged files aside, and says
 * exactly what was lost. The folder must not be in use.
 */
import path from 'node:path';
import { salvageDataDirectory } from '../embedded-mongo/durability/salvage';

const USAGE = 'usage: npm run db:salvage -- DATA_FOLDER   (the folder of npm start is .data, or QC_DATA_DIR)';

async function main(args: readonly string[]): Promise<void> {
  const [folder, ...rest] = args;
  if (folder === undefined || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const directory = path.resolve(folder);
  const report = await salvageDataDirectory(directory);
  for (const notice of report.notices) process.stdout.write(`notice: ${notice}\n`);
  if (!report.salvaged) {
    process.stdout.write(
      `${directory}: the checkpoint and the journal are intact (${report.documents} documents, up to write ${report.sequence}); nothing changed.\n`,
    );
    return;
  }
  process.stdout.write(`Lost:\n${report.lost.map((line) => `  - ${line}\n`).join('')}`);
  process.stdout.write(
    `Kept ${report.documents} documents, up to write ${report.sequence}, in a fresh checkpoint with an empty journal.\n` +
      `The damaged files are copied to ${report.asideDirectory}.\n`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
