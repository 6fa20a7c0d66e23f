import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { execute, parse, validate, type DocumentNode, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Warehouse } from '../warehouse/db';
import type { AuthConfig } from './auth';
import { isDevelopment } from './config';
import { composeSupergraph } from './compose';
import { subgraphContext, type GatewayContext } from './context';
import { apolloLogger, type Logger } from './logger';
import type { BuiltSubgraph, SubgraphDefinition } from '../resolvers/common/subgraph';

export interface GatewayOptions {
  subgraphs: readonly SubgraphDefinition[];
  /** Subgraphs called over HTTP, by name; the others run in this process. */
  remoteUrls: Record<string, string>;
  /** Needed when any subgraph runs in this process. */
  warehouse?: Warehouse;
  auth: AuthConfig;
  log: Logger;
}

/**
 * Apollo Gateway over a supergraph composed locally at startup. Each subgraph is either called in
 * process (InProcessDataSource: executes the subgraph schema directly) or over HTTP
 * (RemoteGraphQLDataSource); both forward the caller's Authorization header and the subgraph
 * verifies it and scopes every query itself.
 */
export async function createGateway(options: GatewayOptions): Promise<{ gateway: ApolloGateway; hints: string[] }> {
  // Apollo Gateway reports usage to Apollo and probes cloud metadata hosts unless told not to:
  // a partner's warehouse gateway sends nothing anywhere unless its operator opts in.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const { supergraphSdl, hints, subgraphs } = await composeSupergraph(options.subgraphs, options.remoteUrls);
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: apolloLogger(options.log),
    buildService: ({ name, url }) => {
      if (options.remoteUrls[name]) return new ForwardingRemoteDataSource({ url });
      const subgraph = byName.get(name);
      if (!subgraph) throw new Error(`no subgraph named ${name}`);
      if (!options.warehouse) throw new Error(`subgraph ${name} runs in process but no warehouse was given`);
      return new InProcessDataSource(subgraph, options.warehouse, options.auth, options.log);
    },
  });
  return { gateway, hints };
}

/** A subgraph over HTTP: forwards Authorization and the request id. */
class ForwardingRemoteDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { authorization, requestId } = context as Partial<GatewayContext>;
    if (authorization) request.http?.headers.set('authorization', authorization);
    if (requestId) request.http?.headers.set('x-request-id', requestId);
  }
}

/**
 * A subgraph in this process. Like LocalGraphQLDataSource, but the subgraph gets a context of its
 * own, built from the forwarded Authorization header (verified again here), once per request.
 */
export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  /**
   * Parsed and validated subgraph queries by text. The gateway sends the same few fetch queries
   * (one per query plan node) over and over; parsing and validating each one per request cost
   * more than the gateway's whole planning. Bounded: cleared when it grows past the limit.
   */
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  private static readonly MAX_CACHED_DOCUMENTS = 1000;

  constructor(
    private readonly subgraph: BuiltSubgraph,
    private readonly warehouse: Warehouse,
    private readonly auth: AuthConfig,
    private readonly log: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { request } = options;
    const gatewayContext = options.context as Partial<GatewayContext>;
    let contexts = gatewayContext.subgraphContexts;
    if (!contexts) contexts = new Map();
    let context = contexts.get(this.subgraph.name);
    if (!context) {
      context = subgraphContext({
        auth: this.auth,
        warehouse: this.warehouse,
        authorization: gatewayContext.authorization,
        requestId: gatewayContext.requestId ?? 'internal',
        bounds: gatewayContext.bounds,
        log: this.log,
      });
      contexts.set(this.subgraph.name, context);
    }
    let contextValue;
    try {
      contextValue = await context;
    } catch (err) {
      const error: GraphQLFormattedError = { message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } };
      return { errors: [error] };
    }
    const document = this.document(request.query!);
    if (!('kind' in document)) return { errors: document.map((e) => this.formatError(e, contextValue.requestId)) };
    const result = await execute({
      schema: this.subgraph.schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue,
    });
    return { data: result.data, errors: result.errors?.map((e) => this.formatError(e, contextValue.requestId)) };
  }

  /** The query parsed and validated against the subgraph schema, or its syntax/validation errors. */
  private document(query: string): DocumentNode | readonly GraphQLError[] {
    let document = this.documents.get(query);
    if (document) return document;
    try {
      const parsed = parse(query);
      const errors = validate(this.subgraph.schema, parsed);
      document = errors.length ? errors : parsed;
    } catch (err) {
      document = [err as GraphQLError];
    }
    if (this.documents.size >= InProcessDataSource.MAX_CACHED_DOCUMENTS) this.documents.clear();
    this.documents.set(query, document);
    return document;
  }

  /**
   * What Apollo Server does for a subgraph served alone: request-level errors (variable values,
   * validation) are BAD_USER_INPUT, typed errors keep their code, anything else is an internal
   * error, logged here and shown without its message outside development.
   */
  private formatError(error: GraphQLError, requestId: string): GraphQLFormattedError {
    const formatted = error.toJSON();
    if (formatted.extensions?.code) return formatted;
    if (!error.path) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    this.log.error({ err: error.originalError ?? error, path: error.path, subgraph: this.subgraph.name, requestId }, 'internal error in subgraph');
    if (isDevelopment()) return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
    return { message: 'internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
