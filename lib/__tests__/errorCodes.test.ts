import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../auth/caller';
import { DOMAIN_ERROR_CODES, GATEWAY_ERROR_CODES, REQUEST_ERROR_CODES, SUBGRAPH_ERROR_CODES } from '../errorCodes';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** A section of the README, from its heading to the next one of the same level. */
function readmeSection(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end);
}

describe('the error codes', () => {
  it('are the ones the README lists, no more and no fewer', () => {
    // Names in capitals between backquotes, roles (`ADMIN`…) and configuration variables (`MAX_TOKEN_LIFETIME`…) aside.
    const variables = [...readmeSection('Configuration').matchAll(/^\| `([A-Z][A-Z_]+)`/gm)].map((match) => match[1]!);
    const notCodes = new Set<string>([...ROLES, ...variables]);
    const named = new Set(
      [...readmeSection('Errors').matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]!).filter((name) => !notCodes.has(name)),
    );

    expect([...named].sort()).toEqual(
      [...DOMAIN_ERROR_CODES, ...REQUEST_ERROR_CODES, ...GATEWAY_ERROR_CODES, ...SUBGRAPH_ERROR_CODES].sort(),
    );
  });
});
