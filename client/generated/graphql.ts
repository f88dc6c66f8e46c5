/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ActionKind =
  | 'AWARENESS'
  | 'BULKY_WASTE_DAY'
  | 'CLEAN_UP'
  | 'GARDENING'
  | 'OTHER'
  | 'SMALL_REPAIRS'
  | 'SOCIAL_EVENT'
  | 'TENANT_MEETING';

/** PROPOSED → SCHEDULED → DONE; PROPOSED or SCHEDULED → CANCELLED. Scheduling again moves the dates. */
export type ActionStatus =
  | 'CANCELLED'
  | 'DONE'
  | 'PROPOSED'
  | 'SCHEDULED';

/** DPE energy class (RPLS DPEENERGIE). */
export type EnergyClass =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G';

/** Financement initial of a dwelling (RPLS FINAN_CODE: 10 PLAI, 13 PLUS, 14 PLS, 16 PLI, others OTHER). */
export type Financing =
  | 'OTHER'
  | 'PLAI'
  | 'PLI'
  | 'PLS'
  | 'PLUS';

/** Statut de l'organisme Hlm. */
export type LandlordFamily =
  /** Coopérative Hlm */
  | 'COOP'
  /** Entreprise sociale pour l'habitat */
  | 'ESH'
  /** Office public de l'habitat */
  | 'OPH'
  | 'OTHER'
  /** Société d'économie mixte */
  | 'SEM';

export type PartnerKind =
  | 'ASSOCIATION'
  | 'MUNICIPALITY'
  /** Régie de quartier */
  | 'NEIGHBOURHOOD_BOARD'
  | 'OTHER'
  | 'SERVICE_PROVIDER'
  | 'SOCIAL_CENTRE'
  | 'STATE';

export type RequestCategory =
  /** Portes, interphone */
  | 'ACCESS_INTERCOM'
  /** Encombrants, dépôts sauvages */
  | 'BULKY_WASTE'
  | 'CHARGES'
  /** Propreté des parties communes et abords */
  | 'CLEANLINESS'
  | 'ELECTRICITY_LIGHTING'
  | 'HEATING_HOT_WATER'
  | 'LIFT'
  /** Troubles de voisinage */
  | 'NEIGHBOUR_NUISANCE'
  | 'OTHER'
  | 'OUTDOOR_SPACES'
  | 'PARKING_WRECKS'
  /** Nuisibles */
  | 'PESTS'
  /** Fuites, humidité */
  | 'PLUMBING_LEAK'
  /** Occupation des halls */
  | 'TRANQUILLITY';

/** The eight axes of the TFPB abatement framework (2015, renewed for the 2024–2030 contrats de ville). */
export type TfpbAxis =
  /** Sur-entretien */
  | 'EXTRA_MAINTENANCE'
  /** Renforcement de la présence du personnel de proximité */
  | 'PROXIMITY_STAFF'
  /** Tranquillité résidentielle */
  | 'RESIDENTIAL_TRANQUILLITY'
  /** Petits travaux d'amélioration de la qualité de service */
  | 'SMALL_WORKS'
  /** Animation, lien social, vivre ensemble */
  | 'SOCIAL_LIFE'
  /** Formation et soutien des personnels de proximité */
  | 'STAFF_TRAINING'
  /** Concertation, sensibilisation des locataires */
  | 'TENANT_CONSULTATION'
  /** Gestion des déchets et encombrants, épaves */
  | 'WASTE_AND_BULKY_ITEMS';

export type DistrictDashboardQueryVariables = Exact<{
  districtId: string | number;
  since?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type DistrictDashboardQuery = { district: { id: string, name: string, qpvCode: string | null, legacyQpvCode: string | null, landlords: Array<{ id: string, name: string, family: LandlordFamily }>, stock: { dwellings: number, buildings: number, byLandlord: Array<{ buildings: number, dwellings: number, landlord: { id: string, name: string } }>, byFinancing: Array<{ financing: Financing | null, count: number }>, byEnergyClass: Array<{ energyClass: EnergyClass | null, count: number }> }, requestStats: { total: number, open: number, acknowledgedWithin48hRate: number | null, medianResolutionHours: number | null, byCategory: Array<{ category: RequestCategory, count: number }> }, buildings: { totalCount: number, nodes: Array<{ id: string, dwellingCount: number, address: { label: string }, landlord: { id: string, name: string }, requestStats: { total: number, open: number } }> }, actions: Array<{ id: string, title: string, kind: ActionKind, status: ActionStatus, startsAt: string | null, tfpbAxis: TfpbAxis | null, organisers: Array<{ id: string, name: string }>, partners: Array<{ id: string, name: string, kind: PartnerKind }> }>, partners: Array<{ id: string, name: string, kind: PartnerKind, cnlrqLabel: boolean }> } | null };


export const DistrictDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DistrictDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"districtId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"district"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"districtId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"qpvCode"}},{"kind":"Field","name":{"kind":"Name","value":"legacyQpvCode"}},{"kind":"Field","name":{"kind":"Name","value":"landlords"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"family"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dwellings"}},{"kind":"Field","name":{"kind":"Name","value":"buildings"}},{"kind":"Field","name":{"kind":"Name","value":"byLandlord"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"landlord"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"buildings"}},{"kind":"Field","name":{"kind":"Name","value":"dwellings"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byFinancing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"financing"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byEnergyClass"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"energyClass"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"requestStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedWithin48hRate"}},{"kind":"Field","name":{"kind":"Name","value":"medianResolutionHours"}},{"kind":"Field","name":{"kind":"Name","value":"byCategory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buildings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"landlord"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dwellingCount"}},{"kind":"Field","name":{"kind":"Name","value":"requestStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"open"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"tfpbAxis"}},{"kind":"Field","name":{"kind":"Name","value":"organisers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"partners"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"partners"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"cnlrqLabel"}}]}}]}}]}}]} as unknown as DocumentNode<DistrictDashboardQuery, DistrictDashboardQueryVariables>;