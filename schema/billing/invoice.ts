import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { Money } from '../common/money';
import { DateScalar, NonNegativeIntScalar } from '../common/scalars';

export enum InvoiceType {
  RECURRING = 'Recurring',
  ONE_TIME = 'OneTime',
}
registerEnumType(InvoiceType, {
  name: 'InvoiceType',
  description: 'RECURRING: license-based and usage-based charges; ONE_TIME: one-time and recurring (new commerce) charges',
});

export enum InvoiceComponent {
  LICENSE_BASED = 'LICENSE_BASED',
  USAGE_BASED = 'USAGE_BASED',
  ONE_TIME = 'ONE_TIME',
  DISCOUNTS = 'DISCOUNTS',
  CREDITS = 'CREDITS',
  SUBTOTAL = 'SUBTOTAL',
  TAX = 'TAX',
  TOTAL = 'TOTAL',
}
registerEnumType(InvoiceComponent, { name: 'InvoiceComponent', description: 'A total of the invoice summary' });

@ObjectType({ description: 'The invoice summary as Partner Center printed it (the invoices file)' })
export class InvoiceSummary {
  @Field(() => Money, { description: 'License-based charges' })
  licenseBased!: Money;

  @Field(() => Money, { description: 'Usage-based charges' })
  usageBased!: Money;

  @Field(() => Money, { description: 'One-time charges' })
  oneTime!: Money;

  @Field(() => Money)
  discounts!: Money;

  @Field(() => Money)
  credits!: Money;

  @Field(() => Money, { description: 'Total before taxes' })
  subtotal!: Money;

  @Field(() => Money)
  tax!: Money;

  @Field(() => Money, { description: 'Tax-exclusive credits' })
  otherCredits!: Money;

  @Field(() => Money, { description: 'Total current charges: the amount due' })
  total!: Money;
}

@ObjectType({ description: "The invoice's totals summed from its reconciliation files (the caller's locations' lines only)" })
export class InvoiceCharges {
  @Field(() => Money, { description: 'Sum of Subtotal of the license-based file' })
  licenseBased!: Money;

  @Field(() => Money, { description: 'Sum of BillingPreTaxTotal of the daily-rated usage file' })
  usageBased!: Money;

  @Field(() => Money, { description: 'Sum of Subtotal of the one-time and recurring file' })
  oneTime!: Money;

  @Field(() => Money, { description: 'licenseBased + usageBased + oneTime' })
  subtotal!: Money;

  @Field(() => Money, {
    description:
      'Sum of Tax (license-based file) + sum of TaxTotal (one-time file). The documented usage TaxAmount has no counterpart: the daily-rated usage file has no tax column',
  })
  tax!: Money;

  @Field(() => Money, { description: 'Tax of the license-based file (sum of Tax)' })
  licenseTax!: Money;

  @Field(() => Money, { description: 'Tax of the one-time file (sum of TaxTotal)' })
  oneTimeTax!: Money;

  @Field(() => Money, {
    description:
      'Sum of TotalForCustomer of license lines "Offset a line item" + BillingPreTaxTotal of usage lines "Offset a line item"; already included in the charges',
  })
  credits!: Money;

  @Field(() => Money, {
    description: 'Sum of TotalOtherDiscount (license) + usage discount lines (Activation/Cycle/Renew/Cancel discount) as a positive amount; already taken off the charges',
  })
  discounts!: Money;

  @Field(() => Money, { description: 'subtotal + tax' })
  total!: Money;

  @Field(() => NonNegativeIntScalar)
  licenseLines!: number;

  @Field(() => NonNegativeIntScalar)
  usageLines!: number;

  @Field(() => NonNegativeIntScalar)
  oneTimeLines!: number;
}

@ObjectType({ description: 'One total of the invoice summary against the same total summed from the reconciliation files' })
export class InvoiceComponentCheck {
  @Field(() => InvoiceComponent)
  component!: InvoiceComponent;

  @Field(() => Money, { nullable: true, description: 'As on the invoice; null when the invoice file left it empty' })
  invoice!: Money | null;

  @Field(() => Money, { description: 'Summed from the reconciliation files' })
  reconFiles!: Money;

  @Field(() => Money, { description: 'reconFiles - invoice (the recon total when the invoice has none)' })
  difference!: Money;

  @Field(() => Boolean, { description: 'The two are equal to the cent' })
  matches!: boolean;
}

@ObjectType({ description: 'Whether the invoice summary agrees with its reconciliation files' })
export class InvoiceConsistency {
  @Field(() => Boolean, { description: 'Every component matches' })
  consistent!: boolean;

  @Field(() => [InvoiceComponentCheck])
  components!: InvoiceComponentCheck[];
}

@ObjectType({ description: "An invoice's charges itemized by reseller MPN ID (indirect model)" })
export class InvoiceResellerCharges {
  @Field(() => String, {
    description: 'ResellerMpnId of the license and one-time files, Tier2MpnId of the usage file; an empty value counts as the MPN ID of the line',
  })
  resellerMpnId!: string;

  @Field(() => Boolean, { description: 'Sold directly: the Reseller MPN ID is the CSP partner’s own MPN ID' })
  soldDirectly!: boolean;

  @Field(() => Boolean, { description: 'The partner removed the reseller of record (Reseller MPN ID -1)' })
  removed!: boolean;

  @Field(() => Money)
  licenseBased!: Money;

  @Field(() => Money)
  usageBased!: Money;

  @Field(() => Money)
  oneTime!: Money;

  @Field(() => Money, { description: 'License Tax + one-time TaxTotal' })
  tax!: Money;

  @Field(() => Money, { description: 'licenseBased + usageBased + oneTime + tax' })
  total!: Money;

  @Field(() => NonNegativeIntScalar)
  lines!: number;
}

/** Entity by id, its invoice number (node(id:)); `id` is a field resolver of resolvers/billing/invoice.resolver.ts. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A Partner Center invoice with its totals recomputed from its reconciliation files' })
export class Invoice {
  @Field(() => ID)
  invoiceNumber!: string;

  @Field(() => DateScalar, { description: 'The billing date on which the invoice was generated' })
  invoiceDate!: string;

  @Field(() => DateScalar, { nullable: true })
  billingPeriodStart!: string | null;

  @Field(() => DateScalar, { nullable: true })
  billingPeriodEnd!: string | null;

  @Field(() => InvoiceType)
  type!: InvoiceType;

  @Field(() => String, { description: 'Billing currency (ISO 4217)' })
  currency!: string;

  @Field(() => Int, { nullable: true })
  paymentTermsDays!: number | null;

  @Field(() => DateScalar, { nullable: true })
  paymentDueDate!: string | null;

  // Loaded columns the field resolvers read.
  licenseBasedCharges!: string | null;
  usageBasedCharges!: string | null;
  oneTimeCharges!: string | null;
  discounts!: string | null;
  credits!: string | null;
  subtotal!: string | null;
  tax!: string | null;
  otherCredits!: string | null;
  totalCurrentCharges!: string | null;
}

@ObjectType()
export class InvoiceConnection extends Connection(Invoice) {}

@InputType({ description: 'Invoices to list' })
export class InvoiceFilter {
  @Field(() => DateScalar, { nullable: true, description: 'Invoice date on or after' })
  from?: Date | string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Invoice date on or before' })
  to?: Date | string | null;

  @Field(() => InvoiceType, { nullable: true })
  type?: InvoiceType | null;

  @Field(() => String, { nullable: true, description: 'Billing currency (ISO 4217), e.g. "EUR"' })
  currency?: string | null;
}

@ArgsType()
export class InvoicesArgs extends ConnectionArgs {
  @Field(() => InvoiceFilter, { nullable: true })
  filter?: InvoiceFilter | null;
}
