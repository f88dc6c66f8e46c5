/**
 * The text of an RPLS file. Files come as UTF-8 or, from older tools and spreadsheets, as Latin-1: bytes that
 * are not valid UTF-8 are read as Latin-1 (the WHATWG 'latin1' decoder is Windows-1252, which also gives the
 * € and ’ such tools write). The UTF-8 decoder drops a byte-order mark itself.
 */
export function decodeRplsText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
