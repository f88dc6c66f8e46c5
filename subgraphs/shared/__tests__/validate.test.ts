import { GraphQLError } from 'graphql';
import { optionalText, requireText } from '../validate';

function refusal(check: () => unknown): { message: string; field: unknown } | null {
  try {
    check();
    return null;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { message: error.message, field: error.extensions.field };
  }
}

describe('text limits', () => {
  it('count code points, so that an emoji or a character outside the BMP counts once', () => {
    expect(requireText('💧'.repeat(10), 'title', 10)).toBe('💧'.repeat(10));
    expect(requireText('𝔸'.repeat(10), 'title', 10)).toBe('𝔸'.repeat(10));
    expect(optionalText('水'.repeat(5) + '🎉'.repeat(5), 'description', 10)).toBe('水水水水水🎉🎉🎉🎉🎉');
    expect(refusal(() => requireText('💧'.repeat(11), 'title', 10))).toEqual({
      message: 'title must be at most 10 characters.',
      field: 'title',
    });
    expect(refusal(() => optionalText('💧'.repeat(11), 'description', 10))?.field).toBe('description');
  });

  it('count the text as kept, spaces around it aside', () => {
    expect(requireText('  abc  ', 'name', 3)).toBe('abc');
    expect(refusal(() => requireText('abcd', 'name', 3))?.field).toBe('name');
  });
});

describe('empty text', () => {
  const invisible = [
    ['zero-width spaces', '\u200B\u200B'],
    ['a word joiner and a soft hyphen', '\u2060\u00AD'],
    ['bidirectional marks and overrides', '\u200E\u200F\u202E\u202C'],
    ['a byte-order mark', '\uFEFF'],
    ['ideographic, no-break and thin spaces', '\u3000\u00A0\u2009'],
    ['line and paragraph separators', '\u2028\u2029'],
    ['a Hangul filler', '\u3164'],
    ['a lone variation selector', '\uFE0F'],
  ];

  it.each(invisible)('is refused where text is required when it is only %s', (_title, text) => {
    expect(refusal(() => requireText(` ${text} `, 'title'))).toEqual({ message: 'title must not be empty.', field: 'title' });
  });

  it.each(invisible)('is none where text is optional when it is only %s', (_title, text) => {
    expect(optionalText(text, 'description')).toBeNull();
  });

  it('keeps text with invisible characters among visible ones as sent', () => {
    expect(requireText('👩\u200D👩\u200D👧', 'title')).toBe('👩\u200D👩\u200D👧');
    expect(requireText('\u200Bmot', 'title')).toBe('\u200Bmot');
    expect(optionalText(' Fuite ‮gauche‬ ', 'description')).toBe('Fuite ‮gauche‬');
  });
});
