import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { shapeLimits } from '../../../lib/limits';
import { demandControl } from './demandControl';

/** What one operation may ask for; each limit is inclusive. */
export interface QueryLimits {
  /** Deepest nesting of fields (MAX_QUERY_DEPTH). */
  maxDepth: number;
  /** Aliased fields, fragments counted where spread (MAX_ALIASES). */
  maxAliases: number;
  /** Fields selected in all, fragments counted where spread (MAX_SELECTIONS). */
  maxSelections: number;
  /** Estimated cost, lists counted at their size (MAX_QUERY_COST; see demandControl). */
  maxCost: number;
}

export interface QueryLimitsFeature {
  /** For ApolloServer's `validationRules`: an operation over a limit is refused before any subgraph is called. */
  validationRules: ValidationRule[];
  /**
   * Give each validation refusal its own code (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COMPLEX; HTTP status
   * stays 400), and refuse an operation over its estimated-cost budget, also before any subgraph is called.
   */
  plugins: ApolloServerPlugin[];
}

/**
 * The shape limits the subgraphs enforce too (lib/limits), and demand control. `supergraphSdl`: the composed
 * supergraph, whose `@cost` and `@listSize` directives price operations.
 */
export function queryLimits(limits: QueryLimits, supergraphSdl: string): QueryLimitsFeature {
  const shape = shapeLimits(limits);
  return {
    validationRules: shape.validationRules,
    plugins: [shape.plugin, demandControl({ supergraphSdl, maxCost: limits.maxCost })],
  };
}
