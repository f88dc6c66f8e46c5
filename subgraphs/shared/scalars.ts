import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether 'YYYY-MM-DD' names a day of the calendar: Date.parse would take 2025-02-30 for 2 March. */
function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  return (
    match !== null && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === value
  );
}

function parseInstant(value: unknown): Date {
  const time = typeof value === 'string' && ISO_INSTANT.test(value) && isCalendarDate(value.slice(0, 10)) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    throw new GraphQLError(
      `DateTime must be an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:30:00Z; got ${JSON.stringify(value)}.`,
    );
  }
  return new Date(time);
}

/** A calendar date stays the string it is: no time zone may shift it. */
function parseCalendarDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(`Date must be a calendar date, e.g. 2026-11-23; got ${JSON.stringify(value)}.`);
  }
  return value;
}

function stringLiteral(ast: ValueNode): unknown {
  return ast.kind === Kind.STRING ? ast.value : undefined;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : parseInstant(value)).toISOString(),
  parseValue: parseInstant,
  parseLiteral: (ast) => parseInstant(stringLiteral(ast)),
});

export const CalendarDate = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: parseCalendarDate,
  parseValue: parseCalendarDate,
  parseLiteral: (ast) => parseCalendarDate(stringLiteral(ast)),
});
