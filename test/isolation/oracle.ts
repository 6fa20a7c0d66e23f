import { visibleTo, type CallerView, type Ownership } from './ownership';

/**
 * The leak oracle: given what came back to a caller, every identifier in it that belongs to
 * another partner, or to a location the caller does not hold.
 *
 * - Other partner: every string anywhere (data, errors, headers, file cells), and every token of
 *   it (an id inside a message or a URL), is looked up; only the ids the caller sent themselves may
 *   come back, and only in error messages ("no subscription <id>").
 * - Other location: checked on the fields that name a row (ROW_FIELDS), not on attributes of a
 *   visible row (a user's locationMpnIds lists other locations by design).
 */
export interface Leak {
  why: 'other partner' | 'other location';
  value: string;
  where: string;
  owner: string;
}

/** Fields (JSON keys and file columns) whose value identifies a row or an aggregate's group. */
export const ROW_FIELDS: ReadonlySet<string> = new Set([
  'id', 'mpnId', 'invoiceNumber', 'customerId', 'subscriptionId', 'referralId', 'key',
  'PartnerId', 'CustomerId', 'SubscriptionId', 'ReferralId', 'RegistrationId', 'LocationMpnId', 'MpnId', 'InvoiceNumber',
  'InvoiceId', 'SubAccountId', 'x_PartnerMpnId', 'x_SubscriptionId', 'SplitValue',
]);

/** Ids, MPN IDs and invoice numbers inside free text. */
const TOKEN = /[A-Za-z0-9][A-Za-z0-9_-]*/g;

interface Context {
  view: CallerView;
  ownership: Ownership;
  /** Ids the caller sent: allowed back in error messages. */
  echoed: ReadonlySet<string>;
  leaks: Leak[];
}

/** Leaks in a GraphQL response body (data and errors) or any JSON. */
export function leaksInJson(body: unknown, view: CallerView, ownership: Ownership, echoed: ReadonlySet<string> = new Set()): Leak[] {
  const context: Context = { view, ownership, echoed, leaks: [] };
  walk(body, [], context);
  return context.leaks;
}

/** Leaks in a tab-separated file (exports, downloads): a header line, then rows. */
export function leaksInTable(text: string, view: CallerView, ownership: Ownership): Leak[] {
  const context: Context = { view, ownership, echoed: new Set(), leaks: [] };
  const [header, ...lines] = text.split(/\r?\n/);
  const columns = header.split('\t');
  lines.forEach((line, row) =>
    line.split('\t').forEach((cell, i) => checkString(cell, columns[i] ?? `column ${i + 1}`, `row ${row + 1}.${columns[i]}`, false, context)),
  );
  return context.leaks;
}

function walk(value: unknown, path: (string | number)[], context: Context): void {
  if (typeof value === 'string') {
    const field = [...path].reverse().find((p): p is string => typeof p === 'string') ?? '';
    checkString(value, field, path.join('.'), path[0] === 'errors', context);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, i], context));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walk(item, [...path, key], context);
  }
}

function checkString(value: string, field: string, where: string, inErrors: boolean, context: Context): void {
  const { view, ownership, echoed, leaks } = context;
  const tokens = new Set([value, ...(value.match(TOKEN) ?? [])]);
  for (const token of tokens) {
    const owner = ownership.owner(token);
    if (!owner || owner.partnerId === view.partnerId || (inErrors && echoed.has(token))) continue;
    leaks.push({ why: 'other partner', value: token, where, owner: describeOwner(owner) });
  }
  const owner = ownership.owner(value);
  if (owner && owner.partnerId === view.partnerId && !inErrors && ROW_FIELDS.has(field) && !visibleTo(owner, view)) {
    leaks.push({ why: 'other location', value, where, owner: describeOwner(owner) });
  }
}

function describeOwner(owner: { partnerId: string; kinds: string[]; locations: Set<string> | null }): string {
  const where = owner.locations === null ? '' : owner.locations.size ? ` at ${[...owner.locations].join('|')}` : ' (organization level)';
  return `${owner.kinds.join('/')} of partner ${owner.partnerId}${where}`;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.why}: "${l.value}" (${l.owner}) at ${l.where}`).join('\n');
}
