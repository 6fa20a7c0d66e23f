import 'reflect-metadata';
import { Directive, Field, ID, InterfaceType, ObjectType } from 'type-graphql';

/**
 * Relay's Node: an object a client can refetch by its id alone (node(id:), nodes(ids:)). The id
 * is the type's own id, unchanged (a Partner Center GUID, an invoice number, a job id...): ids do
 * not repeat across types within a partner, see README "Relay: node(id:)".
 */
@InterfaceType('Node', {
  description: 'An object with an id that node(id:) finds again: the id is unique across types within the partner',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}

/*
 * Each implementing entity, as the nodes subgraph declares it: its key only. The subgraph answers
 * `{ __typename, id }`; the gateway fetches every other field from the owning subgraph through its
 * `__resolveReference`. Composition merges `implements Node` into the owning type.
 */

@Directive('@key(fields: "id")')
@ObjectType('Partner', { implements: Node })
export class NodePartner extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('Customer', { implements: Node })
export class NodeCustomer extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('CustomerSubscription', { implements: Node })
export class NodeCustomerSubscription extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('Product', { implements: Node })
export class NodeProduct extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('Referral', { implements: Node })
export class NodeReferral extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('DealRegistration', { implements: Node })
export class NodeDealRegistration extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('Invoice', { implements: Node })
export class NodeInvoice extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('InvoiceReconciliation', { implements: Node })
export class NodeInvoiceReconciliation extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('LoadJob', { implements: Node })
export class NodeLoadJob extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('SyncRun', { implements: Node })
export class NodeSyncRun extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('GeneratedReport', { implements: Node })
export class NodeGeneratedReport extends Node {}

@Directive('@key(fields: "id")')
@ObjectType('ApiKey', { implements: Node })
export class NodeApiKey extends Node {}

/** Every Node type of the nodes subgraph (orphaned types: reachable only through the interface). */
export const NODE_TYPES = [
  NodePartner,
  NodeCustomer,
  NodeCustomerSubscription,
  NodeProduct,
  NodeReferral,
  NodeDealRegistration,
  NodeInvoice,
  NodeInvoiceReconciliation,
  NodeLoadJob,
  NodeSyncRun,
  NodeGeneratedReport,
  NodeApiKey,
];
