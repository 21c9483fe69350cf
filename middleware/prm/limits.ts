// Maximum lengths of PRM text fields: the API schemas use them and the migrations declare the same
// varchar sizes, so an over-long value is refused with a 400 naming the field before it reaches SQL.
export const MAX_LENGTH = {
  name: 255,
  website: 255,
  phone: 40,
  email: 254, // RFC 5321's limit for a forward path
  billing_street: 255,
  billing_city: 100,
  billing_state: 100,
  billing_postal_code: 20,
  billing_country: 100,
  first_name: 100,
  last_name: 100,
  title: 128,
  stage: 100,
  sf_opportunity_id: 18,
  customKey: 63,
  customValue: 10_000,
  customKeys: 100,
} as const;
