import { type GraphQLFieldResolver, defaultFieldResolver } from 'graphql';

/**
 * Stored documents carry their identity as MongoDB's `_id`, the schema as `id`: a type's `id` field reads `_id`
 * when the parent has no `id` of its own (an entity reference from another subgraph has). Every other field
 * resolves as GraphQL's default does.
 */
export const documentFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (info.fieldName === 'id' && typeof source === 'object' && source !== null && !('id' in source) && '_id' in source) {
    return source._id;
  }
  return defaultFieldResolver(source, args, context, info);
};
