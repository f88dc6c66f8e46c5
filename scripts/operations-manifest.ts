import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOperationManifest } from '../gateway/plugins/persistedOperations/operationManifest';

/**
 * Writes schema/operations/manifest.json: one entry per named operation of schema/operations/*.graphql,
 * `{ name, hash, body }`, the body being the operation and the fragments it uses as graphql-js prints
 * them. The gateway's safelist mode (OPERATION_SAFELIST=on) runs only these operations, and accepts their
 * hash alone in `extensions.persistedQuery.sha256Hash`.
 */
function main(): void {
  const directory = path.resolve(__dirname, '../schema/operations');
  const sources = readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => ({ name: file, text: readFileSync(path.join(directory, file), 'utf8') }));
  const manifest = buildOperationManifest(sources);
  const target = path.join(directory, 'manifest.json');
  writeFileSync(target, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${path.relative(process.cwd(), target)}: ${manifest.operations.length} operations`);
}

main();
