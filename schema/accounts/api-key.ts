import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { DateTimeScalar } from '../common/scalars';
import { BOUNDS } from '../../core/bounds';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, { name: 'ApiKeyStatus', description: 'ACTIVE until expiresAt or until revoked' });

/** An API key as listed: never its secret (only its sha256 is stored). Entity by id (node(id:)). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An API key for the export and report download routes (never /graphql). The secret is shown once, by createApiKey' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'What the key is for, e.g. "Power BI finance dashboard"' })
  name!: string;

  @Field(() => String, { description: 'The one Partner Center role the key acts with' })
  role!: string;

  @Field(() => [String], { nullable: true, description: 'Location MPN IDs the key is limited to; null for the entire organization' })
  locationMpnIds!: string[] | null;

  @Field(() => String, { description: 'The first characters of the key ("pik_1a2b3c4d"), to tell keys apart' })
  keyPrefix!: string;

  @Field(() => ApiKeyStatus)
  status!: ApiKeyStatus;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of the admin who created it' })
  createdBy!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Last request authorised with it (to the minute)' })
  lastUsedAt!: string | null;
}

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey) {}

@ArgsType()
export class ApiKeysArgs extends ConnectionArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Include expired and revoked keys' })
  includeInactive!: boolean;
}

@InputType({ description: 'A new API key: one role, optional locations, an expiry (expiresAt or expiresInDays, at most 365 days ahead)' })
export class CreateApiKeyInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'A Partner Center role name the creator may assign, e.g. "Report viewer"' })
  role!: string;

  @Field(() => [String], {
    nullable: true,
    description: `Limit the key to these location MPN IDs (required for a location-scoped creator, within their own; at most ${BOUNDS.apiKeyLocations.max})`,
  })
  locationMpnIds?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key stops working' })
  expiresAt?: Date | null;

  @Field(() => Int, { nullable: true, description: `Or: days from now until it stops working (${BOUNDS.apiKeyLifetimeDays.min}-${BOUNDS.apiKeyLifetimeDays.max})` })
  expiresInDays?: number | null;
}

@ObjectType({ description: 'A key just created: `key` is shown this once and cannot be retrieved again' })
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The key: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>". Store it now' })
  key!: string;
}
