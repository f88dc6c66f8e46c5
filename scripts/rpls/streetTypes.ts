/**
 * Street types as the national address base (BAN) writes them. RPLS files carry TYPVOIE as the landlord's
 * tool wrote it: the FANTOIR abbreviation (ALL, AV, BD…), the full word in capitals, or in lower case. The
 * import writes the BAN spelling, so that every spelling of one address gives one building.
 */
const BAN_STREET_TYPES: Readonly<Record<string, string>> = {
  ALL: 'Allée',
  ALLEE: 'Allée',
  ALLEES: 'Allées',
  AV: 'Avenue',
  AVE: 'Avenue',
  AVENUE: 'Avenue',
  BD: 'Boulevard',
  BLD: 'Boulevard',
  BOUL: 'Boulevard',
  BOULEVARD: 'Boulevard',
  R: 'Rue',
  RUE: 'Rue',
  CHE: 'Chemin',
  CHEM: 'Chemin',
  CHEMIN: 'Chemin',
  IMP: 'Impasse',
  IMPASSE: 'Impasse',
  PL: 'Place',
  PLACE: 'Place',
  RTE: 'Route',
  ROUTE: 'Route',
  SQ: 'Square',
  SQUARE: 'Square',
  CRS: 'Cours',
  COURS: 'Cours',
  QU: 'Quai',
  QUAI: 'Quai',
  PASS: 'Passage',
  PAS: 'Passage',
  PASSAGE: 'Passage',
  RES: 'Résidence',
  RESIDENCE: 'Résidence',
  CITE: 'Cité',
  CHS: 'Chaussée',
  CHAUSSEE: 'Chaussée',
  ESP: 'Esplanade',
  ESPLANADE: 'Esplanade',
  FG: 'Faubourg',
  FBG: 'Faubourg',
  FAUBOURG: 'Faubourg',
  HAM: 'Hameau',
  HAMEAU: 'Hameau',
  LOT: 'Lotissement',
  LOTISSEMENT: 'Lotissement',
  MAIL: 'Mail',
  PARV: 'Parvis',
  PARVIS: 'Parvis',
  PROM: 'Promenade',
  PROMENADE: 'Promenade',
  SEN: 'Sentier',
  SENTIER: 'Sentier',
  TSSE: 'Terrasse',
  TERRASSE: 'Terrasse',
  VLA: 'Villa',
  VILLA: 'Villa',
};

/** The matching form of a spelling: capitals, no accent, single spaces, no trailing dot. */
function spellingKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[.]+$/, '')
    .replace(/[\s-]+/g, ' ')
    .trim();
}

/** The BAN spelling of a street type; an unknown type is kept as written. */
export function banStreetType(streetType: string): string {
  return BAN_STREET_TYPES[spellingKey(streetType)] ?? streetType;
}

/**
 * Splits a street written whole in NOMVOIE ("ALL DE BELLEFONTAINE", TYPVOIE empty) into its BAN type and its
 * name; a name that does not start with a known type is returned as it is.
 */
export function splitStreet(streetType: string | null, streetName: string): { streetType: string | null; streetName: string } {
  if (streetType) return { streetType: banStreetType(streetType), streetName };
  const match = /^(\S+)\s+(.+)$/.exec(streetName);
  const type = match ? BAN_STREET_TYPES[spellingKey(match[1]!)] : undefined;
  return type ? { streetType: type, streetName: match![2]! } : { streetType: null, streetName };
}

/**
 * The matching form of an address written on one line ("12 ALL DE BELLEFONTAINE", "12 allée de Bellefontaine"):
 * its first street-type word in the BAN spelling, then without case, accents or punctuation.
 */
export function streetLineKey(line: string): string {
  const words = line.trim().split(/\s+/);
  const typeAt = words.findIndex((word) => BAN_STREET_TYPES[spellingKey(word)] !== undefined);
  if (typeAt >= 0) words[typeAt] = BAN_STREET_TYPES[spellingKey(words[typeAt]!)]!;
  return words
    .join(' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
