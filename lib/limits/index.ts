import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { wholeNumber } from '../config/envVariables';
import { maxAliasesRule, maxDepthRule, maxSelectionsRule, QueryLimitError } from './limitRules';

/** The limits the gateway and the subgraphs both enforce, each on what it is sent; each limit is inclusive. */
export interface SharedLimits {
  /** Deepest nesting of fields (MAX_QUERY_DEPTH). */
  maxDepth: number;
  /** Aliased fields, fragments counted where spread (MAX_ALIASES). */
  maxAliases: number;
  /** Larger request bodies are refused with 413 (MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

/** MAX_QUERY_DEPTH, MAX_ALIASES and MAX_BODY_BYTES, with their defaults; throws a ConfigError on an unusable value. */
export function sharedLimitsFromEnv(env: NodeJS.ProcessEnv): SharedLimits {
  return {
    maxDepth: wholeNumber(env, 'MAX_QUERY_DEPTH', 12, 1),
    maxAliases: wholeNumber(env, 'MAX_ALIASES', 30, 0),
    maxBodyBytes: wholeNumber(env, 'MAX_BODY_BYTES', 1024 * 1024, 1),
  };
}

/** What an operation's shape may be: the subgraphs check depth and aliases, the gateway its selections too. */
export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  /** Fields selected in all, fragments counted where spread (MAX_SELECTIONS). */
  maxSelections?: number;
}

export interface ShapeLimitsFeature {
  /** For ApolloServer's `validationRules`: an operation over a limit is refused before anything is resolved. */
  validationRules: ValidationRule[];
  /** Gives each refusal its own code (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COMPLEX); HTTP status stays 400. */
  plugin: ApolloServerPlugin;
}

export function shapeLimits(limits: ShapeLimits): ShapeLimitsFeature {
  return {
    validationRules: [
      maxDepthRule(limits.maxDepth),
      maxAliasesRule(limits.maxAliases),
      ...(limits.maxSelections !== undefined ? [maxSelectionsRule(limits.maxSelections)] : []),
    ],
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors }) {
            // Apollo wraps every validation error as GRAPHQL_VALIDATION_FAILED and keeps ours as the original.
            for (const error of errors) {
              if (error.originalError instanceof QueryLimitError) error.extensions.code = error.originalError.code;
            }
          },
        };
      },
    },
  };
}
