/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DistrictDashboard($districtId: ID!, $since: DateTime, $first: Int = 50) {\n  district(id: $districtId) {\n    id\n    name\n    qpvCode\n    legacyQpvCode\n    landlords {\n      id\n      name\n      family\n    }\n    stock {\n      dwellings\n      buildings\n      byLandlord {\n        landlord {\n          id\n          name\n        }\n        buildings\n        dwellings\n      }\n      byFinancing {\n        financing\n        count\n      }\n      byEnergyClass {\n        energyClass\n        count\n      }\n    }\n    requestStats(since: $since) {\n      total\n      open\n      acknowledgedWithin48hRate\n      medianResolutionHours\n      byCategory {\n        category\n        count\n      }\n    }\n    buildings(first: $first) {\n      totalCount\n      nodes {\n        id\n        address {\n          label\n        }\n        landlord {\n          id\n          name\n        }\n        dwellingCount\n        requestStats(since: $since) {\n          total\n          open\n        }\n      }\n    }\n    actions {\n      id\n      title\n      kind\n      status\n      startsAt\n      tfpbAxis\n      organisers {\n        id\n        name\n      }\n      partners {\n        id\n        name\n        kind\n      }\n    }\n    partners {\n      id\n      name\n      kind\n      cnlrqLabel\n    }\n  }\n}": typeof types.DistrictDashboardDocument,
};
const documents: Documents = {
    "query DistrictDashboard($districtId: ID!, $since: DateTime, $first: Int = 50) {\n  district(id: $districtId) {\n    id\n    name\n    qpvCode\n    legacyQpvCode\n    landlords {\n      id\n      name\n      family\n    }\n    stock {\n      dwellings\n      buildings\n      byLandlord {\n        landlord {\n          id\n          name\n        }\n        buildings\n        dwellings\n      }\n      byFinancing {\n        financing\n        count\n      }\n      byEnergyClass {\n        energyClass\n        count\n      }\n    }\n    requestStats(since: $since) {\n      total\n      open\n      acknowledgedWithin48hRate\n      medianResolutionHours\n      byCategory {\n        category\n        count\n      }\n    }\n    buildings(first: $first) {\n      totalCount\n      nodes {\n        id\n        address {\n          label\n        }\n        landlord {\n          id\n          name\n        }\n        dwellingCount\n        requestStats(since: $since) {\n          total\n          open\n        }\n      }\n    }\n    actions {\n      id\n      title\n      kind\n      status\n      startsAt\n      tfpbAxis\n      organisers {\n        id\n        name\n      }\n      partners {\n        id\n        name\n        kind\n      }\n    }\n    partners {\n      id\n      name\n      kind\n      cnlrqLabel\n    }\n  }\n}": types.DistrictDashboardDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DistrictDashboard($districtId: ID!, $since: DateTime, $first: Int = 50) {\n  district(id: $districtId) {\n    id\n    name\n    qpvCode\n    legacyQpvCode\n    landlords {\n      id\n      name\n      family\n    }\n    stock {\n      dwellings\n      buildings\n      byLandlord {\n        landlord {\n          id\n          name\n        }\n        buildings\n        dwellings\n      }\n      byFinancing {\n        financing\n        count\n      }\n      byEnergyClass {\n        energyClass\n        count\n      }\n    }\n    requestStats(since: $since) {\n      total\n      open\n      acknowledgedWithin48hRate\n      medianResolutionHours\n      byCategory {\n        category\n        count\n      }\n    }\n    buildings(first: $first) {\n      totalCount\n      nodes {\n        id\n        address {\n          label\n        }\n        landlord {\n          id\n          name\n        }\n        dwellingCount\n        requestStats(since: $since) {\n          total\n          open\n        }\n      }\n    }\n    actions {\n      id\n      title\n      kind\n      status\n      startsAt\n      tfpbAxis\n      organisers {\n        id\n        name\n      }\n      partners {\n        id\n        name\n        kind\n      }\n    }\n    partners {\n      id\n      name\n      kind\n      cnlrqLabel\n    }\n  }\n}"): (typeof documents)["query DistrictDashboard($districtId: ID!, $since: DateTime, $first: Int = 50) {\n  district(id: $districtId) {\n    id\n    name\n    qpvCode\n    legacyQpvCode\n    landlords {\n      id\n      name\n      family\n    }\n    stock {\n      dwellings\n      buildings\n      byLandlord {\n        landlord {\n          id\n          name\n        }\n        buildings\n        dwellings\n      }\n      byFinancing {\n        financing\n        count\n      }\n      byEnergyClass {\n        energyClass\n        count\n      }\n    }\n    requestStats(since: $since) {\n      total\n      open\n      acknowledgedWithin48hRate\n      medianResolutionHours\n      byCategory {\n        category\n        count\n      }\n    }\n    buildings(first: $first) {\n      totalCount\n      nodes {\n        id\n        address {\n          label\n        }\n        landlord {\n          id\n          name\n        }\n        dwellingCount\n        requestStats(since: $since) {\n          total\n          open\n        }\n      }\n    }\n    actions {\n      id\n      title\n      kind\n      status\n      startsAt\n      tfpbAxis\n      organisers {\n        id\n        name\n      }\n      partners {\n        id\n        name\n        kind\n      }\n    }\n    partners {\n      id\n      name\n      kind\n      cnlrqLabel\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;