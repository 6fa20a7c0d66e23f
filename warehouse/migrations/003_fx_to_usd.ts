/**
 * Migration 3: one rule for "the rate from a currency to USD". Partner Center's rates go from the
 * pricing currency (USD) to the billing currency, so fx_rates mostly holds USD -> X; a partner's
 * own file may hold X -> USD. The view gives both as rows of (currency, rate_date, rate,
 * inverted): amount in USD = amount × rate, or amount ÷ rate when inverted. On a day with both,
 * readers prefer the direct X -> USD row (ORDER BY rate_date DESC, inverted).
 */
export const up = `
CREATE VIEW fx_to_usd AS
  SELECT partner_id, upper(from_currency) AS currency, rate_date, rate, FALSE AS inverted
  FROM fx_rates WHERE upper(to_currency) = 'USD' AND upper(from_currency) <> 'USD' AND rate > 0
  UNION ALL
  SELECT partner_id, upper(to_currency) AS currency, rate_date, rate, TRUE AS inverted
  FROM fx_rates WHERE upper(from_currency) = 'USD' AND upper(to_currency) <> 'USD' AND rate > 0;
`;
