// Shapes shared by normalization, blocking, scoring and the assignment step.

/** The fields the matcher compares, in the order explanations list them. */
export const MATCH_FEATURES = ['name', 'street', 'city', 'postalCode', 'phone', 'website'] as const;
export type MatchFeature = (typeof MATCH_FEATURES)[number];

/** A record as either system holds it; absent, null and blank fields all mean "unknown". */
export type MatchRecord = { readonly id: string } & { readonly [F in MatchFeature]?: string | null };

/**
 * A record after normalization: every feature is a plain string ('' when unknown), so it can be stored in a
 * database column and read back without loss (the SQL blocking step keeps these next to the raw values).
 */
export type NormalizedRecord = { readonly id: string } & { readonly [F in MatchFeature]: string };
