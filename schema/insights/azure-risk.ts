import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InsightsSubscriptionFields } from './report';

export enum AzureRiskSignalName {
  SUSPENDED = 'SUSPENDED',
  USAGE_STOPPED = 'USAGE_STOPPED',
  USAGE_DECLINED = 'USAGE_DECLINED',
  NO_USAGE = 'NO_USAGE',
  CUSTOMER_CHURNING = 'CUSTOMER_CHURNING',
}
registerEnumType(AzureRiskSignalName, { name: 'AzureRiskSignalName', description: 'A signal of the Azure churn risk model (warehouse/insights/azure-risk.ts)' });

@ObjectType('AzureRiskSignal', { description: 'One signal of the Azure churn risk model and its weight in the score' })
export class AzureRiskSignal {
  @Field(() => AzureRiskSignalName)
  name!: AzureRiskSignalName;

  @Field(() => Int, { description: 'Points it adds to the score' })
  weight!: number;

  @Field(() => String)
  description!: string;
}

@ObjectType('AzureRiskModel', { description: 'How Azure subscriptions at risk are scored: the signals, their weights, the threshold and the months looked at' })
export class AzureRiskModel {
  @Field(() => [AzureRiskSignal])
  signals!: AzureRiskSignal[];

  @Field(() => Int, { description: 'A subscription is at risk from this score' })
  threshold!: number;

  @Field(() => Int, { description: 'Months before the range\'s last month that the usage signals compare with' })
  lookbackMonths!: number;
}

@ObjectType('InsightsAzureRiskItem', { description: 'An Azure subscription at risk of churn, with the signals that make its score' })
export class InsightsAzureRiskItem extends InsightsSubscriptionFields {
  @Field(() => Int, { description: 'The sum of the weights of its signals (0 to 100)' })
  score!: number;

  @Field(() => [AzureRiskSignal], { description: 'The signals it shows' })
  signals!: AzureRiskSignal[];

  @Field(() => Float, { nullable: true, description: "Change of the month's Azure consumed revenue against its monthly average over the months before, in %; null without usage before" })
  usageChangePercent!: number | null;
}
