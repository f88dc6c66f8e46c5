import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen';

/**
 * Generated code (resolver types, the typed client and its persisted documents) is committed; this exits 1 when
 * `npm run codegen` would change any of it, naming the stale files. It generates into a temporary folder and
 * compares, touching nothing in the tree.
 */
async function main(): Promise<void> {
  console.log('Checking that the committed generated code (resolver types, typed client, persisted documents) is up to date...');
  const root = path.resolve(__dirname, '..');
  const outDir = mkdtempSync(path.join(tmpdir(), 'codegen-check-'));
  try {
    const generates = Object.fromEntries(Object.entries(config.generates).map(([target, output]) => [path.join(outDir, target), output]));
    // The CLI's generate() is typed loosely; it resolves to the files it wrote.
    const files = (await generate({ ...config, cwd: root, silent: true, generates }, true)) as { filename: string }[];
    const stale = files
      .map((file) => path.relative(outDir, file.filename))
      .filter((relative) => readFileSync(path.join(outDir, relative), 'utf8') !== safeRead(path.join(root, relative)));
    if (files.length === 0 || stale.length > 0) {
      console.error(`Generated code is stale; run \`npm run codegen\` and commit: ${stale.join(', ') || 'nothing was generated'}`);
      process.exit(1);
    }
    console.log(`Generated code is up to date (${files.length} files).`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

void main();
