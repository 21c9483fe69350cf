// The SQL expressions the organizations' trigram indexes are built on (migration
// 20261122010000_prm_entities). A query must use the same expression, character for character, for
// PostgreSQL to use the index: `lower(name) % lower(?)`, `similarity(<address>, ?)`.
export const ORGANIZATION_NAME_SQL = 'lower(name)';

export const ORGANIZATION_ADDRESS_SQL =
  "lower(coalesce(billing_street, '') || ' ' || coalesce(billing_city, '') || ' ' || coalesce(billing_state, '') || ' ' || coalesce(billing_postal_code, '') || ' ' || coalesce(billing_country, ''))";
