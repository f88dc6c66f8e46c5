import type { Financing } from '../../subgraphs/housing/generated/resolvers';

/**
 * RPLS FINAN_CODE (the dwelling's initial financing) → its family. The codes are those of the RPLS data model:
 * before the 1977 reform (1983 overseas) 50 HBM, 51 PLR/PSR, 52 HLM/O, 53 ILM, 54 ILN, 55 prêts spéciaux du
 * CFF, 99 other; since then 10 PLA d'intégration, 11 PLA loyer minoré / très social / insertion, 12 PLA
 * ordinaire, 13 PLUS, 14 PLS/PPLS/PCLS/PLA CFF, 15 PAP locatif, 16 PLI, 17 PCL, 49 other.
 *
 * Families: the very social loans (PLAI), the ordinary social loans (PLUS and the PLA ordinaire it replaced),
 * PLS, PLI, the ordinary HLM of before 1977 with their forerunners and reduced-rent variants (HLM_O: HBM,
 * PLR/PSR, HLM/O), the intermediate-rent buildings of before 1977 (ILM_ILN), and OTHER for the rest (CFF
 * loans, PAP locatif, PCL, other financing, and any code the model does not know).
 */
const FAMILY_BY_CODE: Readonly<Record<string, Financing>> = {
  '10': 'PLAI',
  '11': 'PLAI',
  '12': 'PLUS',
  '13': 'PLUS',
  '14': 'PLS',
  '15': 'OTHER',
  '16': 'PLI',
  '17': 'OTHER',
  '49': 'OTHER',
  '50': 'HLM_O',
  '51': 'HLM_O',
  '52': 'HLM_O',
  '53': 'ILM_ILN',
  '54': 'ILM_ILN',
  '55': 'OTHER',
  '99': 'OTHER',
};

/** The family of a FINAN_CODE as written in a file ("13", "013"); an unknown code is OTHER. */
export function financingFamily(code: string): Financing {
  return FAMILY_BY_CODE[/^\d+$/.test(code) ? String(Number(code)) : code] ?? 'OTHER';
}
