import { WITHHELD, WITHHELD_SHORT, disclosedFigure, formatInteger, withheldReason } from '../format';
import type { Disclosure } from '../gql/graphql';

/** The page's explanation of the small-cells rule, which every withheld figure points to (aria-describedby). */
export const SMALL_CELLS_NOTE_ID = 'small-cells-note';

/** What a shared statistic counts: the small-cells rule is worded in it (requests; households on call lists). */
export type Counted = 'demandes' | 'ménages';

/** « aucune demande ne puisse être reconnue », « aucun ménage ne puisse être reconnu ». */
const NOT_ONE: Record<Counted, string> = {
  demandes: 'aucune demande ne puisse être reconnue',
  ménages: 'aucun ménage ne puisse être reconnu',
};

/** Said on hover (title) beside the note: why this one figure is withheld. */
const whyWithheld = (counted: Counted) => ({
  WITHHELD_SMALL_CELL: `Moins de 11 ${counted} d’autres bailleurs dans cette case : le chiffre n’est pas diffusé, afin qu’${NOT_ONE[counted]}.`,
  WITHHELD_COMPLEMENTARY: `Ce chiffre est assez grand, mais avec ceux affichés il permettrait de retrouver une case de moins de 11 ${counted} : il est masqué.`,
});

/** A statistic in its cell: the figure, or in its place why it is withheld (never 0), described by the page's note. */
export function Disclosed(props: {
  value: number | null | undefined;
  disclosure: Disclosure;
  format?: (value: number) => string;
  counted?: Counted;
  /** Short words in place of a withheld figure, for tables of many: its title and the note say why. */
  short?: boolean;
  testId?: string;
}) {
  const reason = withheldReason(props.value, props.disclosure);
  const counted = props.counted ?? 'demandes';
  return (
    <span
      data-testid={props.testId}
      data-disclosure={props.disclosure}
      className={reason ? 'withheld' : undefined}
      title={reason ? whyWithheld(counted)[reason] : undefined}
      aria-describedby={reason ? SMALL_CELLS_NOTE_ID : undefined}
    >
      {disclosedFigure(props.value, props.disclosure, props.format ?? formatInteger, props.short ? WITHHELD_SHORT : WITHHELD)}
    </span>
  );
}

/** The small-cells rule in plain words, once per page that shows shared statistics. */
export function SmallCellsNote({ counted = 'demandes' }: { counted?: Counted }) {
  return (
    <p id={SMALL_CELLS_NOTE_ID} className="muted small-cells-note">
      Secret statistique : aucun chiffre partagé ne repose sur moins de 11 {counted} d’autres bailleurs que le vôtre. Un chiffre plus petit
      n’est pas diffusé (« secret statistique »), et un chiffre qui permettrait de le retrouver à partir de ceux affichés est masqué lui
      aussi. Les chiffres d’un bailleur sur ses propres {counted === 'demandes' ? 'bâtiments' : 'ménages'} lui sont donnés exacts.
    </p>
  );
}
