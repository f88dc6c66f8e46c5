/**
 * An attacker on shared statistics, written apart from the suppression code: it knows the figures a caller was given
 * (each a sum of atoms: building × month × category), knows the caller's own atoms exactly, and does linear algebra
 * (Gaussian elimination modulo a prime) to find every cell, and every difference or union of two cells, that those
 * figures determine. A finding is such a sum resting on fewer than `threshold` requests of other landlords, no request
 * at all included (a derived zero tells that nobody asked).
 */

const PRIME = 1_000_003;

export interface KnownFigure {
  /** The atoms the figure adds up (indexes into the atom list). */
  atoms: readonly number[];
}

export interface AttackCell {
  name: string;
  atoms: readonly number[];
}

export interface Finding {
  what: string;
  /** Other landlords' requests the derived sum rests on. */
  others: number;
}

export interface AttackInput {
  /** Requests of other landlords in each atom (the caller's own atoms have `own` set and are known). */
  others: readonly number[];
  own: readonly boolean[];
  figures: readonly KnownFigure[];
  /** Every cell the caller could ask for, published or not: the candidate targets. */
  cells: readonly AttackCell[];
  threshold: number;
}

const mod = (value: number) => ((value % PRIME) + PRIME) % PRIME;

function inverse(value: number): number {
  let [a, b, x0, x1] = [value, PRIME, 1, 0];
  while (b !== 0) {
    const q = Math.floor(a / b);
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return mod(x0);
}

/** The reduced row echelon form of the figures over the unknown atoms: pivot column → row. */
function echelon(rows: number[][], width: number): Map<number, number[]> {
  const pivots = new Map<number, number[]>();
  for (const original of rows) {
    const row = original.slice();
    for (const [column, pivotRow] of pivots) {
      const factor = row[column]!;
      if (factor === 0) continue;
      for (let index = 0; index < width; index += 1) if (pivotRow[index] !== 0) row[index] = mod(row[index]! - factor * pivotRow[index]!);
    }
    const column = row.findIndex((value) => value !== 0);
    if (column === -1) continue;
    const scale = inverse(row[column]!);
    for (let index = 0; index < width; index += 1) row[index] = mod(row[index]! * scale);
    for (const pivotRow of pivots.values()) {
      const factor = pivotRow[column]!;
      if (factor === 0) continue;
      for (let index = 0; index < width; index += 1) if (row[index] !== 0) pivotRow[index] = mod(pivotRow[index]! - factor * row[index]!);
    }
    pivots.set(column, row);
  }
  return pivots;
}

/**
 * A basis of the vectors orthogonal to every known figure: a sum of atoms is determined by the figures exactly when
 * it is orthogonal to all of them. Each atom's coordinates in that basis make its signature; a set of atoms is
 * determined exactly when its signatures add up to zero.
 */
function atomSignatures(pivots: Map<number, number[]>, width: number): number[][] {
  const free = [...Array(width).keys()].filter((column) => !pivots.has(column));
  const signatures = Array.from({ length: width }, () => new Array<number>(free.length).fill(0));
  free.forEach((freeColumn, basisIndex) => {
    // The null-space vector with 1 at this free column: each pivot column takes minus its row's entry there.
    signatures[freeColumn]![basisIndex] = 1;
    for (const [pivotColumn, row] of pivots) signatures[pivotColumn]![basisIndex] = mod(-row[freeColumn]!);
  });
  return signatures;
}

export function attack({ others, own, figures, cells, threshold }: AttackInput): Finding[] {
  const unknownAtoms = others.map((_, atom) => atom).filter((atom) => !own[atom]);
  const column = new Map(unknownAtoms.map((atom, index) => [atom, index]));
  const width = unknownAtoms.length;
  const rows = figures.map((figure) => {
    const row = new Array<number>(width).fill(0);
    for (const atom of figure.atoms) if (column.has(atom)) row[column.get(atom)!] = 1;
    return row;
  });
  const signatures = atomSignatures(echelon(rows, width), width);
  const dimension = signatures[0]?.length ?? 0;

  const targets = cells
    .map((cell) => ({ name: cell.name, atoms: new Set(cell.atoms.filter((atom) => column.has(atom))) }))
    .filter((cell) => cell.atoms.size > 0);
  const signatureOf = (atoms: Iterable<number>) => {
    const sum = new Array<number>(dimension).fill(0);
    for (const atom of atoms) signatures[column.get(atom)!]!.forEach((value, index) => (sum[index] = (sum[index]! + value) % PRIME));
    return sum;
  };
  const othersIn = (atoms: Iterable<number>) => [...atoms].reduce((sum, atom) => sum + others[atom]!, 0);
  const findings: Finding[] = [];
  const bySignature = new Map<string, { name: string; atoms: Set<number> }[]>();
  for (const target of targets) {
    const signature = signatureOf(target.atoms);
    if (signature.every((value) => value === 0) && othersIn(target.atoms) < threshold) {
      findings.push({ what: `${target.name} is determined`, others: othersIn(target.atoms) });
    }
    const key = signature.join(',');
    bySignature.set(key, [...(bySignature.get(key) ?? []), target]);
  }
  // Two cells with one signature differ by a determined sum; nested, that difference is a sum of atoms.
  for (const group of bySignature.values()) {
    for (const outer of group) {
      for (const inner of group) {
        if (outer === inner || inner.atoms.size >= outer.atoms.size || ![...inner.atoms].every((atom) => outer.atoms.has(atom))) continue;
        const rest = [...outer.atoms].filter((atom) => !inner.atoms.has(atom));
        if (othersIn(rest) < threshold) findings.push({ what: `${outer.name} minus ${inner.name} is determined`, others: othersIn(rest) });
      }
    }
  }
  // Two disjoint cells whose signatures cancel: their union is determined.
  for (const [key, group] of bySignature) {
    const negated = key
      .split(',')
      .map((value) => String(mod(-Number(value))))
      .join(',');
    for (const first of group) {
      for (const second of bySignature.get(negated) ?? []) {
        if (first.name >= second.name || [...first.atoms].some((atom) => second.atoms.has(atom))) continue;
        const union = [...first.atoms, ...second.atoms];
        if (othersIn(union) < threshold)
          findings.push({ what: `${first.name} plus ${second.name} is determined`, others: othersIn(union) });
      }
    }
  }
  return findings;
}
