// Paths pino must never print: credentials in headers, bodies and our own structured log fields.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.client_secret',
  '*.clientSecret',
  '*.refresh_token',
  '*.refreshToken',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.apiToken',
  '*.secretKey',
];

const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|private_?key/i;

/** Copies a plain object with every secret-looking value replaced, for logs and error details. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? '[REDACTED]' : redactSecrets(inner, depth + 1);
  }
  return out;
}
