import type { Disclosure } from './generated/resolvers';
import { type Cell, type CellTotals, DIMENSIONS, DISTRICT, type StatisticsCube } from './statisticsCells';

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

/** Whether a figure of this disclosure is given (exactly or published) rather than withheld. */
export function isShown(disclosure: Disclosure): boolean {
  return disclosure === 'EXACT' || disclosure === 'PUBLISHED';
}

/**
 * A parent cell and the cells that add up to it along one dimension: the children holding requests by cell number,
 * the empty ones (all alike: nothing to add, a zero to protect) by count, those the caller owns left out (known zeros).
 */
interface Relation {
  parent: number;
  dimension: number;
  children: number[];
  emptyUnknown: number;
}

/** What the attacker derives in one round: each derived cell with the relation it comes from; and the relations that derive a zero. */
interface Derivations {
  derivedFrom: Map<number, Relation>;
  zeroes: Relation[];
}

/**
 * The disclosure of every cell of a district's statistics for one caller: small cells withheld, then complementary
 * suppression run to a fixpoint against an attacker who knows every published cell and the caller's own cells
 * exactly, and adds up along the relations (a parent is the sum of its children in time, place and category):
 * 1. knowledge spreads: a parent whose children are all known is known; so is a child whose parent and siblings are;
 * 2. a derived cell on fewer than 11 other landlords' requests discloses; so does a known parent whose unknown
 *    children hold, outside the parts of them known along any dimension, fewer than 11 (none included: a residue of
 *    0 tells zeros);
 * 3. each disclosing relation gets one more cell withheld: its smallest published child, else its parent, else a
 *    published cell of the relation one of its derived members comes from (a relation already changed this round
 *    waits for the next); and the attacker starts again.
 * Every round withholds at least one more published cell, so it ends; with nothing left to withhold it fails closed.
 */
export class CellDisclosures {
  private readonly ids = new Map<string, number>();
  private readonly cells: Cell[] = [];
  private readonly status: Disclosure[] = [];
  private readonly others: number[] = [];
  private readonly relations: Relation[] = [];
  /** The relations each cell takes part in, as parent or child. */
  private readonly memberships: number[][] = [];
  /** The relation of a parent along a dimension: `parent * DIMENSIONS.length + dimension`. */
  private readonly relationOf = new Map<number, number>();

  constructor(
    private readonly cube: StatisticsCube,
    private readonly viewer: StatisticsViewer,
  ) {
    for (const { cell, totals } of cube.cells()) {
      this.ids.set(cell.key, this.cells.length);
      this.cells.push(cell);
      this.others.push(totals.others);
      this.status.push(this.initialDisclosure(cell, totals));
      this.memberships.push([]);
    }
    if (viewer.exactEverywhere) return;
    this.relate();
    this.suppressComplementaryCells();
  }

  /** The disclosure of any cell, empty ones included. */
  of(cell: Cell): Disclosure {
    const id = this.ids.get(cell.key);
    return id === undefined ? this.initialDisclosure(cell, undefined) : this.status[id]!;
  }

  /**
   * The relations between cells holding requests, found from the children up (each cell adds up into one parent per
   * dimension); the empty children of a relation are only counted, and the caller's own left out.
   */
  private relate(): void {
    const ownBuildings = this.cube.buildingIds.filter((id) => this.viewer.ownsBuilding(id)).length;
    this.cells.forEach((cell, child) => {
      DIMENSIONS.forEach((dimension, dimensionIndex) => {
        const parentCell = this.cube.parent(cell, dimension);
        if (!parentCell) return;
        const parent = this.ids.get(parentCell.key)!;
        const key = parent * DIMENSIONS.length + dimensionIndex;
        let index = this.relationOf.get(key);
        if (index === undefined) {
          index = this.relations.length;
          this.relations.push({ parent, dimension: dimensionIndex, children: [], emptyUnknown: 0 });
          this.relationOf.set(key, index);
          this.memberships[parent]!.push(index);
        }
        this.relations[index]!.children.push(child);
        this.memberships[child]!.push(index);
      });
    });
    for (const relation of this.relations) {
      const parentCell = this.cells[relation.parent]!;
      const empty = this.cube.childCount(parentCell, DIMENSIONS[relation.dimension]!) - relation.children.length;
      if (this.status[relation.parent] === 'EXACT') continue;
      const ownEmpty =
        DIMENSIONS[relation.dimension] === 'place'
          ? ownBuildings - relation.children.filter((child) => this.status[child] === 'EXACT').length
          : 0;
      relation.emptyUnknown = empty - ownEmpty;
    }
  }

  private initialDisclosure(cell: Cell, totals: CellTotals | undefined): Disclosure {
    const exact = this.viewer.exactEverywhere || (cell.place !== DISTRICT && this.viewer.ownsBuilding(cell.place));
    return smallCellDisclosure(exact, totals?.others ?? 0);
  }

  private isPublic(id: number): boolean {
    return isShown(this.status[id]!);
  }

  private suppressComplementaryCells(): void {
    for (;;) {
      const derivations = this.attackerKnowledge();
      const disclosing = this.disclosingRelations(derivations);
      if (disclosing.length === 0) return;
      const changed = new Set<number>();
      for (const relation of disclosing) {
        if (changed.has(relation)) continue;
        const victim = this.complementaryVictim(this.relations[relation]!, derivations.derivedFrom);
        if (victim === null) continue;
        this.status[victim] = 'WITHHELD_COMPLEMENTARY';
        const { parent, children } = this.relations[relation]!;
        for (const cell of [victim, parent, ...children]) for (const member of this.memberships[cell]!) changed.add(member);
      }
      if (changed.size === 0) {
        this.withholdEverythingShared();
        return;
      }
    }
  }

  /** The withheld cells the attacker derives, spreading knowledge through the relations until nothing changes. */
  private attackerKnowledge(): Derivations {
    const derivedFrom = new Map<number, Relation>();
    const zeroes: Relation[] = [];
    const known = this.cells.map((_, id) => this.isPublic(id));
    const unknownChildren = this.relations.map(
      (relation) => relation.emptyUnknown + relation.children.filter((child) => !known[child]).length,
    );
    const pending = this.relations.map((_, index) => index);
    const learn = (id: number, relation: number) => {
      known[id] = true;
      derivedFrom.set(id, this.relations[relation]!);
      for (const member of this.memberships[id]!) {
        if (this.relations[member]!.parent !== id) unknownChildren[member]! -= 1;
        pending.push(member);
      }
    };
    while (pending.length > 0) {
      const index = pending.pop()!;
      const relation = this.relations[index]!;
      if (known[relation.parent]) {
        if (unknownChildren[index] !== 1) continue;
        const child = relation.children.find((candidate) => !known[candidate]);
        if (child === undefined) zeroes.push(relation);
        else learn(child, index);
      } else if (unknownChildren[index] === 0) {
        learn(relation.parent, index);
      }
    }
    return { derivedFrom, zeroes };
  }

  /** The relations through which the attacker learns a figure resting on fewer than 11 other landlords' requests. */
  private disclosingRelations({ derivedFrom, zeroes }: Derivations): number[] {
    const known = (id: number) => this.isPublic(id) || derivedFrom.has(id);
    const indexOf = (relation: Relation) => this.relationOf.get(relation.parent * DIMENSIONS.length + relation.dimension)!;
    const disclosing = zeroes.map(indexOf);
    for (const [id, relation] of derivedFrom) if (this.others[id]! < SMALL_CELL_THRESHOLD) disclosing.push(indexOf(relation));
    const unknownMass = new Map<number, number>();
    /**
     * An upper bound on what the attacker does not know of a cell: its others' requests outside the parts it knows,
     * along whichever dimension splits it into the most known parts (the attacker combines time, place and category).
     */
    const massOf = (id: number): number => {
      if (known(id)) return 0;
      let mass = unknownMass.get(id);
      if (mass === undefined) {
        mass = this.others[id]!;
        for (let dimension = 0; dimension < DIMENSIONS.length; dimension += 1) {
          const relation = this.relationOf.get(id * DIMENSIONS.length + dimension);
          if (relation !== undefined)
            mass = Math.min(
              mass,
              this.relations[relation]!.children.reduce((sum, child) => sum + massOf(child), 0),
            );
        }
        unknownMass.set(id, mass);
      }
      return mass;
    };
    this.relations.forEach((relation, index) => {
      if (!known(relation.parent)) return;
      const unknown = relation.children.filter((child) => !known(child));
      if (unknown.length === 0 && relation.emptyUnknown === 0) return;
      if (unknown.reduce((sum, child) => sum + massOf(child), 0) < SMALL_CELL_THRESHOLD) disclosing.push(index);
    });
    return disclosing;
  }

  /** The published cell to withhold for a disclosing relation, following derived members back to their sources. */
  private complementaryVictim(disclosing: Relation, derivedFrom: Derivations['derivedFrom']): number | null {
    const visited = new Set<Relation>();
    let frontier = [disclosing];
    while (frontier.length > 0) {
      const next: Relation[] = [];
      for (const relation of frontier) {
        if (visited.has(relation)) continue;
        visited.add(relation);
        const victim = this.smallestPublished(relation.children) ?? (this.status[relation.parent] === 'PUBLISHED' ? relation.parent : null);
        if (victim !== null) return victim;
        for (const member of [relation.parent, ...relation.children]) {
          const source = derivedFrom.get(member);
          if (source) next.push(source);
        }
      }
      frontier = next;
    }
    return null;
  }

  private smallestPublished(ids: readonly number[]): number | null {
    let smallest: number | null = null;
    for (const id of ids) {
      if (this.status[id] === 'PUBLISHED' && (smallest === null || this.others[id]! < this.others[smallest]!)) smallest = id;
    }
    return smallest;
  }

  private withholdEverythingShared(): void {
    this.status.forEach((disclosure, id) => {
      if (disclosure === 'PUBLISHED') this.status[id] = 'WITHHELD_COMPLEMENTARY';
    });
  }
}
