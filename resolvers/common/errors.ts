import { GraphQLError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { DomainError } from '../../core/errors';

/**
 * The one place domain errors become GraphQL errors: `extensions` carry the code and the details
 * (requiredRoles, allowedStates, argument...). Every subgraph installs the middleware
 * (resolvers/common/subgraph.ts), so resolvers and the warehouse just throw DomainErrors.
 */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details }, originalError: error });
}

export function rethrowAsGraphQL(error: unknown): never {
  throw error instanceof DomainError ? toGraphQLError(error) : error;
}

export const domainErrorsAsGraphQL: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    rethrowAsGraphQL(error);
  }
};
