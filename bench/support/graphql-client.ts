import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print, type GraphQLFormattedError } from 'graphql';

/**
 * A minimal typed GraphQL client over HTTP for the generated documents (generated/graphql.ts):
 * the result and variables types come from the document.
 *
 *   const r = await request(url, token, CustomersPageDocument, { first: 10, filter: { country: 'US' } });
 *   r.data?.customers?.totalCount   // number
 */
export interface GraphQLResponse<TResult> {
  status: number;
  data?: TResult | null;
  errors?: GraphQLFormattedError[];
}

const printed = new WeakMap<object, string>();

/** The request body of an operation: { query, operationName, variables } as JSON (query printed once per document). */
export function requestBody<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables): string {
  let query = printed.get(document);
  if (query === undefined) {
    query = print(document);
    printed.set(document, query);
  }
  const operationName = getOperationAST(document)?.name?.value;
  return JSON.stringify({ query, operationName, variables: variables ?? {} });
}

export async function request<TResult, TVariables>(
  url: string,
  bearer: string | null,
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<GraphQLResponse<TResult>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: requestBody(document, variables),
  });
  const text = await response.text();
  let body: { data?: TResult | null; errors?: GraphQLFormattedError[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} from ${url} is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors };
}
