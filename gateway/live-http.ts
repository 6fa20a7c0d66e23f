import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** The path of the websocket endpoint: the same as HTTP's. */
export const LIVE_PATH = '/graphql';

/**
 * A subscription sent over HTTP: Apollo Gateway does not execute subscriptions (it would fail
 * planning one), so it is answered 400 before anything runs, saying where subscriptions are served.
 */
export function subscriptionsOverHttpRefused(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            `subscriptions are served over WebSocket (graphql-ws protocol, subprotocol "graphql-transport-ws") at ws://<host>${LIVE_PATH}, ` +
              'with the token in connectionParams.authorization; HTTP takes queries and mutations',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
