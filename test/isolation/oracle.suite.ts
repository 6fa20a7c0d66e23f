import { leaksInJson, leaksInTable } from './oracle';
import { callerView, Ownership } from './ownership';

/**
 * The leak oracle on hand-made ownership: it must flag a row of the other partner anywhere, a
 * row of another location where a row is named, and nothing of the caller's own; otherwise the
 * fuzz (fuzz.suite.ts) would pass whatever the server returned.
 */
const P = { id: 'partner-p', name: 'P', locations: ['100', '200'] };
const Q = { id: 'partner-q', name: 'Q', locations: ['900'] };
const row = (kind: string, value: string, partnerId: string, locations: string[] | null, needsAll = false) => ({ kind, value, partnerId, locations, needsAll });
const ownership = Ownership.fromRows(
  [
    row('partner', P.id, P.id, null),
    row('partner', Q.id, Q.id, null),
    row('location', '100', P.id, ['100']),
    row('location', '200', P.id, ['200']),
    row('location', '900', Q.id, ['900']),
    row('customer', 'cust-p100', P.id, ['100']),
    row('customer', 'cust-p200', P.id, ['200']),
    row('customer', 'cust-q', Q.id, ['900']),
    row('user', 'user-p', P.id, ['100', '200']),
    row('generated report', 'report-p', P.id, ['100', '200'], true),
    // The same offer in both catalogs identifies nobody.
    row('product', 'offer-1', P.id, null),
    row('product', 'offer-1', Q.id, null),
  ],
  [P, Q],
);
const wholeP = callerView(P, null);
const p100 = callerView(P, ['100']);

test('the other partner’s id is a leak anywhere, however deep, even inside text', () => {
  const body = { data: { customers: { edges: [{ node: { id: 'cust-p100', notes: [{ text: 'see cust-q' }] } }] } } };
  expect(leaksInJson(body, wholeP, ownership)).toEqual([
    expect.objectContaining({ why: 'other partner', value: 'cust-q', where: 'data.customers.edges.0.node.notes.0.text' }),
  ]);
  expect(leaksInJson({ data: { partner: { id: Q.id } } }, wholeP, ownership)).toHaveLength(1);
});

test('the caller’s own rows and shared catalog ids are not leaks', () => {
  const body = { data: { customer: { id: 'cust-p200', location: { mpnId: '200' }, product: { id: 'offer-1' } }, partner: { id: P.id } } };
  expect(leaksInJson(body, wholeP, ownership)).toEqual([]);
});

test('another location’s row is a leak for a location-scoped caller where a row is named', () => {
  const body = { data: { customer: { id: 'cust-p200', location: { mpnId: '200' } } } };
  expect(leaksInJson(body, p100, ownership).map((l) => [l.why, l.value])).toEqual([['other location', 'cust-p200'], ['other location', '200']]);
  // A visible user's list of locations is an attribute of a row it may see, not another location's row.
  expect(leaksInJson({ data: { users: [{ id: 'user-p', locationMpnIds: ['100', '200'] }] } }, p100, ownership)).toEqual([]);
});

test('a report limited to two locations is seen only by a caller holding both', () => {
  expect(leaksInJson({ data: { generatedReport: { id: 'report-p' } } }, p100, ownership)).toHaveLength(1);
  expect(leaksInJson({ data: { generatedReport: { id: 'report-p' } } }, callerView(P, ['100', '200']), ownership)).toEqual([]);
});

test('a token naming the other partner’s location gains nothing', () => {
  const mixed = callerView(P, ['100', '900']);
  expect(leaksInJson({ data: { location: { mpnId: '900' } } }, mixed, ownership)).toEqual([
    expect.objectContaining({ why: 'other partner', value: '900' }),
  ]);
});

test('an error may name the id the caller sent, but nothing else of the other partner', () => {
  const echoed = new Set(['cust-q']);
  const body = (message: string) => ({ data: { customer: null }, errors: [{ message, extensions: { code: 'NOT_FOUND' } }] });
  expect(leaksInJson(body('no customer cust-q'), wholeP, ownership, echoed)).toEqual([]);
  expect(leaksInJson(body(`customer cust-q belongs to ${Q.id}`), wholeP, ownership, echoed)).toEqual([
    expect.objectContaining({ why: 'other partner', value: Q.id }),
  ]);
  expect(leaksInJson({ data: { customer: { id: 'cust-q' } } }, wholeP, ownership, echoed)).toHaveLength(1);
});

test('files: every cell for the other partner, named columns for other locations', () => {
  const file = 'PartnerId\tLocationMpnId\tNote\n' + `${P.id}\t100\tok\n${P.id}\t200\tcust-q\n`;
  expect(leaksInTable(file, wholeP, ownership).map((l) => [l.why, l.value, l.where])).toEqual([['other partner', 'cust-q', 'row 2.Note']]);
  expect(leaksInTable(file, p100, ownership).map((l) => [l.why, l.value])).toEqual([['other location', '200'], ['other partner', 'cust-q']]);
});
