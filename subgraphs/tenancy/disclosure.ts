import type { Disclosure } from './generated/resolvers';
import { type Cell, type CellTotals, DIMENSIONS, DISTRICT, type Dimension, type StatisticsCube } from './statisticsCells';

/**
 * The small-cells rule (domain.md, "Small cells"): no figure shared with a caller rests on fewer than
 * SMALL_CELL_THRESHOLD requests or respondents of landlords other than the caller, and complementary suppression
 * keeps the withheld ones from being rebuilt by subtraction.
 */

/** French statistical secrecy's threshold for household data. */
export const SMALL_CELL_THRESHOLD = 11;

/** Who reads the figures: admins read every figure exactly; a landlord's staff its own buildings' figures. */
export interface StatisticsViewer {
  exactEverywhere: boolean;
  ownsBuilding(buildingId: string): boolean;
}

/** A figure resting on `others` requests or respondents of other landlords, before complementary suppression. */
export function smallCellDisclosure(exact: boolean, others: number): Disclosure {
  if (exact) return 'EXACT';
  return others < SMALL_CELL_THRESHOLD ? 'WITHHELD_SMALL_CELL' : 'PUBLISHED';
}

/** A parent cell and the cells that add up to it along one dimension. */
interface Relation {
  parent: Cell;
  dimension: Dimension;
  children: Cell[];
}

/**
 * The disclosure of every cell of a district's statistics for one caller: small cells withheld, then complementary
 * suppression run to a fixpoint against an attacker who knows every published cell and the caller's own cells
 * exactly, and adds up along the relations (a parent is the sum of its children in time, place and category):
 * 1. knowledge spreads: a parent whose children are all known is known; a child whose parent and siblings are;
 * 2. a derived cell on fewer than 11 other landlords' requests discloses; so does a known parent whose unknown
 *    children hold, outside what is known of their parts, fewer than 11 (none included: a residue of 0 tells zeros);
 * 3. then one more cell is withheld: the smallest published child of that relation, else its parent, else a published
 *    cell of the relation its derived member came from; and the attacker starts again.
 * Every round withholds one more published cell, so it ends; with nothing left to withhold it fails closed.
 */
export class CellDisclosures {
  private readonly status = new Map<string, Disclosure>();
  private readonly relations: Relation[] = [];

  constructor(
    private readonly cube: StatisticsCube,
    private readonly viewer: StatisticsViewer,
  ) {
    for (const { cell, totals } of cube.cells()) {
      this.status.set(cell.key, smallCellDisclosure(this.isExact(cell), totals.others));
      for (const dimension of DIMENSIONS) {
        const children = cube.children(cell, dimension);
        if (children.length > 0) this.relations.push({ parent: cell, dimension, children });
      }
    }
    if (!viewer.exactEverywhere) this.suppressComplementaryCells();
  }

  /** The disclosure of any cell, empty ones included. */
  of(cell: Cell): Disclosure {
    return this.status.get(cell.key) ?? (this.isExact(cell) ? 'EXACT' : 'WITHHELD_SMALL_CELL');
  }

  private isExact(cell: Cell): boolean {
    return this.viewer.exactEverywhere || (cell.place !== DISTRICT && this.viewer.ownsBuilding(cell.place));
  }

  private isPublic(cell: Cell): boolean {
    const disclosure = this.of(cell);
    return disclosure === 'EXACT' || disclosure === 'PUBLISHED';
  }

  private othersIn(cell: Cell): number {
    return this.cube.totals(cell)?.others ?? 0;
  }

  private suppressComplementaryCells(): void {
    for (;;) {
      const derivedFrom = this.attackerKnowledge();
      const disclosing = this.findDisclosure(derivedFrom);
      if (!disclosing) return;
      const victim = this.complementaryVictim(disclosing, derivedFrom);
      if (!victim) {
        this.withholdEverythingShared();
        return;
      }
      this.status.set(victim.key, 'WITHHELD_COMPLEMENTARY');
    }
  }

  /** The withheld cells the attacker derives, each with the relation it is derived from. */
  private attackerKnowledge(): Map<string, Relation> {
    const derivedFrom = new Map<string, Relation>();
    const known = (cell: Cell) => this.isPublic(cell) || derivedFrom.has(cell.key);
    for (let changed = true; changed; ) {
      changed = false;
      for (const relation of this.relations) {
        const unknown = relation.children.filter((child) => !known(child));
        if (known(relation.parent)) {
          if (unknown.length === 1) {
            derivedFrom.set(unknown[0]!.key, relation);
            changed = true;
          }
        } else if (unknown.length === 0) {
          derivedFrom.set(relation.parent.key, relation);
          changed = true;
        }
      }
    }
    return derivedFrom;
  }

  private findDisclosure(derivedFrom: Map<string, Relation>): Relation | null {
    for (const [key, relation] of derivedFrom) {
      const cell = [relation.parent, ...relation.children].find((member) => member.key === key)!;
      if (this.othersIn(cell) < SMALL_CELL_THRESHOLD) return relation;
    }
    const known = (cell: Cell) => this.isPublic(cell) || derivedFrom.has(cell.key);
    const unknownMass = new Map<string, number>();
    /** What the attacker does not know of a cell along one dimension: its others' requests outside known parts. */
    const massOf = (cell: Cell, dimension: Dimension): number => {
      if (known(cell) || !this.cube.totals(cell)) return 0;
      const memoKey = `${dimension}\u0000${cell.key}`;
      let mass = unknownMass.get(memoKey);
      if (mass === undefined) {
        const children = this.cube.children(cell, dimension);
        mass = children.length === 0 ? this.othersIn(cell) : children.reduce((sum, child) => sum + massOf(child, dimension), 0);
        unknownMass.set(memoKey, mass);
      }
      return mass;
    };
    for (const relation of this.relations) {
      if (!known(relation.parent)) continue;
      const unknown = relation.children.filter((child) => !known(child));
      if (unknown.length === 0) continue;
      const residue = unknown.reduce((sum, child) => sum + massOf(child, relation.dimension), 0);
      if (residue < SMALL_CELL_THRESHOLD) return relation;
    }
    return null;
  }

  /** The published cell to withhold next for a disclosing relation. */
  private complementaryVictim(disclosing: Relation, derivedFrom: Map<string, Relation>): Cell | null {
    const visited = new Set<Relation>();
    let frontier = [disclosing];
    while (frontier.length > 0) {
      const next: Relation[] = [];
      for (const relation of frontier) {
        if (visited.has(relation)) continue;
        visited.add(relation);
        const victim = this.smallestPublished(relation.children) ?? (this.status.get(relation.parent.key) === 'PUBLISHED' ? relation.parent : null);
        if (victim) return victim;
        for (const member of [relation.parent, ...relation.children]) {
          const source = derivedFrom.get(member.key);
          if (source) next.push(source);
        }
      }
      frontier = next;
    }
    return null;
  }

  private smallestPublished(cells: readonly Cell[]): Cell | null {
    let smallest: { cell: Cell; totals: CellTotals } | null = null;
    for (const cell of cells) {
      if (this.status.get(cell.key) !== 'PUBLISHED') continue;
      const totals = this.cube.totals(cell)!;
      if (!smallest || totals.others < smallest.totals.others) smallest = { cell, totals };
    }
    return smallest?.cell ?? null;
  }

  private withholdEverythingShared(): void {
    for (const [key, disclosure] of this.status) if (disclosure === 'PUBLISHED') this.status.set(key, 'WITHHELD_COMPLEMENTARY');
  }
}
