import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A request whose operationName names no operation of its document (or whose document has several
 * operations and no name): 400 naming the operations it has. Apollo Server leaves resolving the
 * operation to the gateway, which throws a code the error formatting does not know, so the client
 * got a 500 "internal server error" for its own mistake.
 */
export function unresolvedOperationRefused(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (operation) return;
          const names = document.definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? [d.name?.value ?? '(anonymous)'] : []));
          const asked = request.operationName;
          const message = asked
            ? `unknown operation named "${asked}"; the document has: ${names.join(', ') || 'no operation'}`
            : `the document has several operations (${names.join(', ')}): name the one to run in operationName`;
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}
