import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOperationManifest } from '../gateway/plugins/persistedOperations/operationManifest';

export const OPERATIONS_DIR = path.resolve(__dirname, '../schema/operations');
export const MANIFEST_PATH = path.join(OPERATIONS_DIR, 'manifest.json');

/**
 * The manifest of schema/operations/*.graphql as text: one entry per named operation, `{ name, hash, body }`,
 * the body being the operation and the fragments it uses as graphql-js prints them. The gateway's safelist
 * mode (OPERATION_SAFELIST=on) runs only these operations, and accepts their hash alone in
 * `extensions.persistedQuery.sha256Hash`.
 */
export function operationManifestText(): string {
  const sources = readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => ({ name: file, text: readFileSync(path.join(OPERATIONS_DIR, file), 'utf8') }));
  return `${JSON.stringify(buildOperationManifest(sources), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(MANIFEST_PATH, operationManifestText());
  console.log(`${path.relative(process.cwd(), MANIFEST_PATH)} written`);
}
