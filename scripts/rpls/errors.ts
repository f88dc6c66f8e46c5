/** A row the import cannot take, by its line in the file (the header is line 1). */
export interface RowProblem {
  line: number;
  reason: string;
}

/** The file is refused whole (unreadable, columns missing, or bad rows under --strict): nothing was written. */
export class RplsFileRefused extends Error {
  override readonly name = 'RplsFileRefused';

  constructor(
    message: string,
    readonly problems: readonly RowProblem[] = [],
  ) {
    super(message);
  }
}

/** The landlord or the district the file is imported for does not exist. */
export class RplsTargetNotFound extends Error {
  override readonly name = 'RplsTargetNotFound';
}
