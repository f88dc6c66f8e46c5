import type { ActionKind, TfpbAxis } from '../../subgraphs/actions/generated/resolvers';
import type { LandlordFamily } from '../../subgraphs/housing/generated/resolvers';
import type { PartnerKind, PartnerService } from '../../subgraphs/partners/generated/resolvers';
import type { RequestCategory } from '../../subgraphs/tenancy/generated/resolvers';

/** The words of the demo: Le Mirail's landlords, streets and partners, and what tenants and landlords write. */

export const SEED_AUTHOR = 'demo-seed';

/** The three landlords of Le Mirail's Coop'IB, with stable ids the README's examples use. */
export const DEMO_LANDLORDS: { _id: string; name: string; family: LandlordFamily; code: string }[] = [
  { _id: 'landlord-tmh', name: 'Toulouse Métropole Habitat', family: 'OPH', code: 'TMH' },
  { _id: 'landlord-chalets', name: 'Groupe des Chalets', family: 'COOP', code: 'GDC' },
  { _id: 'landlord-patrimoine', name: 'Patrimoine SA Languedocienne', family: 'ESH', code: 'PSL' },
];

export const GENERATED_LANDLORD_FAMILIES: LandlordFamily[] = ['OPH', 'ESH', 'ESH', 'COOP', 'SEM'];

export const DEMO_DISTRICT = {
  _id: 'district-grand-mirail',
  name: 'Grand Mirail',
  communeCodes: ['31555'],
  qpvCode: 'QN03107M',
  legacyQpvCode: 'QP031007',
};

export interface Sector {
  name: string;
  centre: { latitude: number; longitude: number };
  /** Street type, street name, the first building number on it. */
  streets: [string, string, number][];
}

/** Grand Mirail's three parts, each an estate of every landlord building there. */
export const DEMO_SECTORS: Sector[] = [
  {
    name: 'Bellefontaine',
    centre: { latitude: 43.5668, longitude: 1.394 },
    streets: [
      ['allée', 'de Bellefontaine', 12],
      ['allée', 'du Morvan', 3],
      ['chemin', 'de Lestang', 21],
    ],
  },
  {
    name: 'Reynerie',
    centre: { latitude: 43.5716, longitude: 1.4021 },
    streets: [
      ['place', 'André Abbal', 1],
      ['rue', 'de Kiev', 2],
      ['chemin', 'de la Reynerie', 20],
    ],
  },
  {
    name: 'Mirail-Université',
    centre: { latitude: 43.5786, longitude: 1.403 },
    streets: [
      ['allée', 'Antonio Machado', 4],
      ['avenue', 'du Mirail', 15],
      ['allée', 'des Causses', 7],
    ],
  },
];

export const GENERATED_SECTOR_NAMES = ['Secteur nord', 'Secteur centre', 'Secteur sud'];
export const GENERATED_STREETS: [string, string][] = [
  ['rue', 'des Tilleuls'],
  ['allée', 'des Lilas'],
  ['place', 'du Marché'],
  ['rue', 'Jean Jaurès'],
  ['allée', 'des Érables'],
  ['chemin', 'des Vignes'],
  ['rue', 'Louise Michel'],
  ['allée', 'Pablo Picasso'],
  ['avenue', 'de la Paix'],
];

/** First names, all a partner is told of a tenant whose need is referred to it. */
export const FIRST_NAMES = [
  'Fatima',
  'Odette',
  'Ahmed',
  'Josette',
  'Mohamed',
  'Yvonne',
  'Jean',
  'Aïcha',
  'Pierre',
  'Malika',
  'René',
  'Khadija',
  'Marcel',
  'Rosa',
  'Antonio',
  'Germaine',
];

export const SURNAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Garcia',
  'Benali',
  'Diallo',
  'Moreau',
  'Haddad',
  'Nguyen',
  'Traoré',
  'Petit',
  'Lopez',
  'Mansouri',
  'Da Silva',
  'Lefebvre',
  'Bouzid',
  'Fernandez',
  'Camara',
  'Roux',
  'Mercier',
  'Ait Ali',
  'Sanchez',
  'Fofana',
  'Girard',
];

/** Where tenants' requests go: the dwelling for what happens inside it, the common areas otherwise. */
export const REQUEST_CATEGORIES: {
  category: RequestCategory;
  weight: number;
  inDwelling: boolean;
  resolutionHours: number;
  description: string;
}[] = [
  {
    category: 'CLEANLINESS',
    weight: 14,
    inDwelling: false,
    resolutionHours: 36,
    description: "Hall d'entrée et escalier sales depuis plusieurs jours.",
  },
  {
    category: 'BULKY_WASTE',
    weight: 10,
    inDwelling: false,
    resolutionHours: 60,
    description: "Matelas et meubles déposés devant l'entrée.",
  },
  { category: 'LIFT', weight: 8, inDwelling: false, resolutionHours: 30, description: 'Ascenseur en panne, bloqué au rez-de-chaussée.' },
  { category: 'HEATING_HOT_WATER', weight: 10, inDwelling: true, resolutionHours: 40, description: "Plus d'eau chaude depuis ce matin." },
  {
    category: 'PLUMBING_LEAK',
    weight: 14,
    inDwelling: true,
    resolutionHours: 150,
    description: "Fuite sous l'évier de la cuisine, traces d'humidité au plafond.",
  },
  {
    category: 'ELECTRICITY_LIGHTING',
    weight: 6,
    inDwelling: false,
    resolutionHours: 70,
    description: "L'éclairage de la cage d'escalier ne fonctionne plus.",
  },
  {
    category: 'ACCESS_INTERCOM',
    weight: 9,
    inDwelling: false,
    resolutionHours: 90,
    description: "L'interphone ne sonne plus et la porte ne ferme pas.",
  },
  { category: 'PESTS', weight: 6, inDwelling: true, resolutionHours: 240, description: 'Présence de cafards dans la cuisine.' },
  { category: 'OUTDOOR_SPACES', weight: 4, inDwelling: false, resolutionHours: 300, description: "Bancs cassés au pied de l'immeuble." },
  {
    category: 'PARKING_WRECKS',
    weight: 2,
    inDwelling: false,
    resolutionHours: 500,
    description: 'Voiture épave sur le parking depuis un mois.',
  },
  {
    category: 'NEIGHBOUR_NUISANCE',
    weight: 7,
    inDwelling: true,
    resolutionHours: 200,
    description: 'Bruit tard le soir au-dessus de chez moi.',
  },
  { category: 'TRANQUILLITY', weight: 4, inDwelling: false, resolutionHours: 160, description: 'Regroupements dans le hall en soirée.' },
  { category: 'CHARGES', weight: 4, inDwelling: true, resolutionHours: 260, description: 'Question sur la régularisation des charges.' },
  { category: 'OTHER', weight: 2, inDwelling: true, resolutionHours: 100, description: 'Demande de renseignement.' },
];

/** The joint actions landlords run at the foot of their buildings, each on its TFPB axis. */
export const ACTION_TEMPLATES: {
  title: string;
  kind: ActionKind;
  tfpbAxis: TfpbAxis;
  partner: 'regie' | 'association' | null;
  outcomeNotes: string;
  /** The participants its notes speak of (inclusive range). */
  participants: readonly [number, number];
  /** Held on the national day of its kind: the Fête des voisins, the last Friday of May. */
  onLastFridayOfMay?: true;
}[] = [
  {
    title: 'Grand nettoyage des pieds d’immeuble',
    kind: 'CLEAN_UP',
    tfpbAxis: 'EXTRA_MAINTENANCE',
    partner: 'regie',
    outcomeNotes: '2 tonnes de déchets ramassées, tri avec les habitants.',
    participants: [15, 50],
  },
  {
    title: 'Journée encombrants',
    kind: 'BULKY_WASTE_DAY',
    tfpbAxis: 'WASTE_AND_BULKY_ITEMS',
    partner: 'regie',
    outcomeNotes: 'Trois bennes remplies; dépôts sauvages en baisse la semaine suivante.',
    participants: [20, 70],
  },
  {
    title: 'Fête des voisins',
    kind: 'SOCIAL_EVENT',
    tfpbAxis: 'SOCIAL_LIFE',
    partner: 'association',
    outcomeNotes: 'Repas partagé, forte participation des familles.',
    participants: [80, 160],
    onLastFridayOfMay: true,
  },
  {
    title: 'Plantations au jardin partagé',
    kind: 'GARDENING',
    tfpbAxis: 'SOCIAL_LIFE',
    partner: 'association',
    outcomeNotes: 'Douze bacs plantés; un groupe d’habitants prend le relais pour l’arrosage.',
    participants: [12, 30],
  },
  {
    title: 'Sensibilisation au tri et aux encombrants',
    kind: 'AWARENESS',
    tfpbAxis: 'TENANT_CONSULTATION',
    partner: 'regie',
    outcomeNotes: 'Porte-à-porte dans quatre entrées, guide du tri distribué.',
    participants: [25, 70],
  },
  {
    title: 'Réunion de concertation sur la tranquillité des halls',
    kind: 'TENANT_MEETING',
    tfpbAxis: 'RESIDENTIAL_TRANQUILLITY',
    partner: null,
    outcomeNotes: 'Propositions des locataires sur l’éclairage et la fermeture des halls.',
    participants: [12, 40],
  },
  {
    title: 'Petits travaux dans les halls',
    kind: 'SMALL_REPAIRS',
    tfpbAxis: 'SMALL_WORKS',
    partner: 'regie',
    outcomeNotes: 'Boîtes aux lettres remplacées, peintures reprises.',
    participants: [5, 20],
  },
  {
    title: 'Présence renforcée des gardiens en soirée',
    kind: 'OTHER',
    tfpbAxis: 'PROXIMITY_STAFF',
    partner: null,
    outcomeNotes: 'Permanences tenues deux soirs par semaine pendant l’été.',
    participants: [30, 90],
  },
  {
    title: 'Formation des gardiens à la gestion des conflits',
    kind: 'OTHER',
    tfpbAxis: 'STAFF_TRAINING',
    partner: null,
    outcomeNotes: 'Quinze gardiens des trois bailleurs formés ensemble.',
    participants: [15, 15],
  },
];

export const CANCELLATION_REASONS = [
  'Alerte orages annoncée par Météo-France.',
  'Salle indisponible, action reportée.',
  'Prestataire indisponible à cette date.',
];

export interface PartnerTemplate {
  key: 'regie' | 'association';
  name: string;
  kind: PartnerKind;
  cnlrqLabel: boolean;
  services: PartnerService[];
}

/** Every district's two partners; the demo district's have stable ids. */
export const PARTNER_TEMPLATES: PartnerTemplate[] = [
  {
    key: 'regie',
    name: 'Régie de quartier',
    kind: 'REGIE_DE_QUARTIER',
    cnlrqLabel: true,
    services: ['CLEANING', 'BULKY_WASTE_COLLECTION', 'GREEN_SPACES', 'SMALL_REPAIRS', 'JOB_INTEGRATION', 'GROCERY_DELIVERY'],
  },
  {
    key: 'association',
    name: 'Association des jardins partagés',
    kind: 'ASSOCIATION',
    cnlrqLabel: false,
    services: ['COMMUNITY_EVENTS', 'GREEN_SPACES'],
  },
];

export const DEMO_PARTNER_IDS: Record<PartnerTemplate['key'], string> = {
  regie: 'partner-regie-mirail',
  association: 'partner-jardins-bellefontaine',
};
export const DEMO_PARTNER_NAMES: Record<PartnerTemplate['key'], string> = {
  regie: 'Régie de quartier du Grand Mirail',
  association: 'Les Jardins de Bellefontaine',
};
