import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../auth/caller';
import { DOMAIN_ERROR_CODES, GATEWAY_ERROR_CODES, SUBGRAPH_ERROR_CODES } from '../errorCodes';

/** The README's "Errors" section, the contract's list as users read it. */
function readmeErrorSection(): string {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('\n## Errors\n');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end);
}

describe('the error codes', () => {
  it('are the ones the README lists, no more and no fewer', () => {
    // Names in capitals between backquotes, roles (`ADMIN`…) aside.
    const roles = new Set<string>(ROLES);
    const named = new Set([...readmeErrorSection().matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]!).filter((name) => !roles.has(name)));

    expect([...named].sort()).toEqual([...DOMAIN_ERROR_CODES, ...GATEWAY_ERROR_CODES, ...SUBGRAPH_ERROR_CODES].sort());
  });
});
