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
  /** 1 for each cell the attacker knows: published, exact, or derived. */
  known: Uint8Array;
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
  private runs = 0;
  /** The relation of a parent along a dimension, at `parent * DIMENSIONS.length + dimension` (-1: none). */
  private relationOf = new Int32Array(0);

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

  /** How many times the attacker was run to a fixpoint: what the disclosures cost, beside the cells. */
  get attackerRuns(): number {
    return this.runs;
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
    this.relationOf = new Int32Array(this.cells.length * DIMENSIONS.length).fill(-1);
    this.cells.forEach((cell, child) => {
      DIMENSIONS.forEach((dimension, dimensionIndex) => {
        const parentCell = this.cube.parent(cell, dimension);
        if (!parentCell) return;
        const parent = this.ids.get(parentCell.key)!;
        const key = parent * DIMENSIONS.length + dimensionIndex;
        let index = this.relationOf[key]!;
        if (index < 0) {
          index = this.relations.length;
          this.relations.push({ parent, dimension: dimensionIndex, children: [], emptyUnknown: 0 });
          this.relationOf[key] = index;
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
    let derivations = this.attackerKnowledge();
    let disclosing = this.disclosingRelations(derivations);
    while (disclosing.length > 0) {
      const changed = new Set<number>();
      const victims: number[] = [];
      for (const relation of disclosing) {
        if (changed.has(relation)) continue;
        const victim = this.complementaryVictim(this.relations[relation]!, derivations.derivedFrom);
        if (victim === null) continue;
        this.status[victim] = 'WITHHELD_COMPLEMENTARY';
        victims.push(victim);
        const { parent, children } = this.relations[relation]!;
        for (const cell of [victim, parent, ...children]) for (const member of this.memberships[cell]!) changed.add(member);
      }
      if (changed.size === 0) {
        this.withholdEverythingShared();
        return;
      }
      // A round whose every victim the attacker adds up again from published parts leaves it knowing all it knew: the
      // same relations disclose, and the next round needs no new attacker run (a district of published buildings but
      // a few empty ones withholds one building per round, hundreds of rounds). The loop still ends only on a run
      // that finds nothing disclosing.
      const rebuilt = victims.map((victim) => this.publishedPartsOf(victim));
      if (rebuilt.every((relation) => relation !== undefined)) {
        victims.forEach((victim, index) => derivations.derivedFrom.set(victim, rebuilt[index]!));
        continue;
      }
      derivations = this.attackerKnowledge();
      disclosing = this.disclosingRelations(derivations);
    }
  }

  /** A relation adding a cell up from parts the attacker all reads (no empty part unknown, none withheld); undefined if none. */
  private publishedPartsOf(id: number): Relation | undefined {
    for (let dimension = 0; dimension < DIMENSIONS.length; dimension += 1) {
      const index = this.relationOf[id * DIMENSIONS.length + dimension]!;
      if (index < 0) continue;
      const relation = this.relations[index]!;
      if (relation.emptyUnknown === 0 && relation.children.every((child) => this.isPublic(child))) return relation;
    }
    return undefined;
  }

  /** The withheld cells the attacker derives, spreading knowledge through the relations until nothing changes. */
  private attackerKnowledge(): Derivations {
    this.runs += 1;
    const derivedFrom = new Map<number, Relation>();
    const zeroes: Relation[] = [];
    const known = new Uint8Array(this.cells.length);
    for (let id = 0; id < known.length; id += 1) if (this.isPublic(id)) known[id] = 1;
    const unknownChildren = new Int32Array(this.relations.length);
    const pending: number[] = [];
    this.relations.forEach((relation, index) => {
      let unknown = relation.emptyUnknown;
      for (const child of relation.children) if (!known[child]) unknown += 1;
      unknownChildren[index] = unknown;
      pending.push(index);
    });
    const learn = (id: number, relation: number) => {
      known[id] = 1;
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
    return { derivedFrom, zeroes, known };
  }

  /** The relations through which the attacker learns a figure resting on fewer than 11 other landlords' requests. */
  private disclosingRelations({ derivedFrom, zeroes, known }: Derivations): number[] {
    const indexOf = (relation: Relation) => this.relationOf[relation.parent * DIMENSIONS.length + relation.dimension]!;
    const disclosing = zeroes.map(indexOf);
    for (const [id, relation] of derivedFrom) if (this.others[id]! < SMALL_CELL_THRESHOLD) disclosing.push(indexOf(relation));
    // -1: not computed yet.
    const unknownMass = new Float64Array(this.cells.length).fill(-1);
    /**
     * An upper bound on what the attacker does not know of a cell: its others' requests outside the parts it knows,
     * along whichever dimension splits it into the most known parts (the attacker combines time, place and category).
     */
    const massOf = (id: number): number => {
      if (known[id]) return 0;
      let mass = unknownMass[id]!;
      if (mass < 0) {
        mass = this.others[id]!;
        for (let dimension = 0; dimension < DIMENSIONS.length; dimension += 1) {
          const relation = this.relationOf[id * DIMENSIONS.length + dimension]!;
          if (relation < 0) continue;
          let parts = 0;
          for (const child of this.relations[relation]!.children) parts += massOf(child);
          mass = Math.min(mass, parts);
        }
        unknownMass[id] = mass;
      }
      return mass;
    };
    this.relations.forEach((relation, index) => {
      if (!known[relation.parent]) return;
      let unknownChildren = 0;
      let mass = 0;
      for (const child of relation.children) {
        if (known[child]) continue;
        unknownChildren += 1;
        mass += massOf(child);
      }
      if (unknownChildren === 0 && relation.emptyUnknown === 0) return;
      if (mass < SMALL_CELL_THRESHOLD) disclosing.push(index);
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
