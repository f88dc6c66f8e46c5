/**
 * `npm run import:rpls -- --landlord ID --district ID [--strict] [--all-in-district | --address LINE…] FILE.csv`:
 * imports a landlord's RPLS file into a district through the graph (the housing subgraph writes it, under the
 * caller's rights), then prints what it did. The graph is `npm start`'s unless QC_GRAPHQL_URL (or PORT) says
 * otherwise; the token is QC_TOKEN, else a development admin token. Exit codes: 0 imported, 1 file refused (or the
 * import failed), 2 bad arguments.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GraphRequestError, GraphTokenMissing, GraphUnreachable, graphClientFromEnv } from './graphClient';
import { RplsFileRefused, RplsTargetNotFound } from './rpls/errors';
import { type RplsImportReport, type SaveCounts, importRpls } from './rpls/importRpls';

const USAGE = `Usage: npm run import:rpls -- --landlord ID --district ID [--strict] [--all-in-district | --address LINE…] FILE.csv
  Imports an RPLS file (';'-separated, UTF-8 or Latin-1) through the graph: QC_GRAPHQL_URL, by default the
  gateway of npm start (http://localhost:$PORT/graphql), with the token QC_TOKEN (by default, outside
  production, a development admin token). By default a bad row is reported and its building skipped; with
  --strict any bad row refuses the whole file.
  The district's rows are those of its QPV (PLG_QP24, PLG_QP or PLG_QP15). A file without a QPV column is refused
  unless --address "12 allée de Bellefontaine" (repeatable) names the addresses to import, or --all-in-district
  takes every row of the district's communes.`;

const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface ImportArguments {
  landlordId: string;
  districtId: string;
  strict: boolean;
  allInDistrict: boolean;
  addresses: string[];
  file: string;
}

function importArguments(args: readonly string[]): ImportArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        landlord: { type: 'string' },
        district: { type: 'string' },
        strict: { type: 'boolean', default: false },
        'all-in-district': { type: 'boolean', default: false },
        address: { type: 'string', multiple: true, default: [] },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (!values.landlord?.trim()) throw new UsageError('--landlord ID is required.');
  if (!values.district?.trim()) throw new UsageError('--district ID is required.');
  if (positionals.length !== 1) throw new UsageError('Name exactly one file to import.');
  const addresses = values.address.map((line) => line.trim()).filter(Boolean);
  if (values['all-in-district'] && addresses.length > 0) throw new UsageError('Give --all-in-district or --address, not both.');
  return {
    landlordId: values.landlord.trim(),
    districtId: values.district.trim(),
    strict: values.strict,
    allInDistrict: values['all-in-district'],
    addresses,
    file: positionals[0]!,
  };
}

async function main(): Promise<number> {
  let args: ImportArguments;
  let bytes: Buffer;
  try {
    args = importArguments(process.argv.slice(2));
    bytes = await readFile(args.file).catch((caught: unknown) => {
      // readFile rejects with a system error.
      const error = caught as NodeJS.ErrnoException;
      throw new UsageError(`Cannot read ${args.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  try {
    const graph = await graphClientFromEnv(process.env, 'rpls-import');
    const report = await importRpls(graph, {
      landlordId: args.landlordId,
      districtId: args.districtId,
      bytes,
      strict: args.strict,
      selection: { allInDistrict: args.allInDistrict, addresses: args.addresses },
    });
    process.stdout.write(summary(args.file, report));
    return 0;
  } catch (error) {
    if (error instanceof GraphUnreachable || error instanceof GraphRequestError || error instanceof GraphTokenMissing) {
      process.stderr.write(`The import failed: ${error.message}\n`);
      return EXIT_REFUSED;
    }
    if (error instanceof RplsTargetNotFound) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof RplsFileRefused) {
      const problems = error.problems.map((problem) => `  line ${problem.line}: ${problem.reason}\n`).join('');
      process.stderr.write(`${args.file} was refused: ${error.message}\n${problems}`);
      return EXIT_REFUSED;
    }
    throw error;
  }
}

function summary(file: string, report: RplsImportReport): string {
  const counts = ({ created, updated, unchanged }: SaveCounts) => `${created} created, ${updated} updated, ${unchanged} unchanged`;
  const lines = [
    `Imported ${file} for ${report.landlord.name} into ${report.district.name}.`,
    `Rows read: ${report.rowsRead}${report.rowsOutsideDistrict > 0 ? ` (${report.rowsOutsideDistrict} of other QPVs, left aside)` : ''}`,
    `Buildings: ${counts(report.buildings)}`,
    `Dwellings: ${counts(report.dwellings)}`,
    `Buildings skipped: ${report.skippedBuildings.length}`,
    ...report.skippedBuildings.map((building) => `  ${building.address} (lines ${building.lines.join(', ')})`),
    `Rows skipped: ${report.skippedRows.length}`,
    ...report.skippedRows.map((row) => `  line ${row.line}: ${row.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`The import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_REFUSED;
  },
);
