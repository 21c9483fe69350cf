// The OAuth 2.0 JWT bearer flow's assertion check: an RS256 signature verified against the connected
// app's certificate (or public key), then the claims Salesforce insists on.
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; error: string; description: string };

/** A PEM certificate or public key as a KeyObject. */
export function publicKeyFrom(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

export function checkJwtAssertion(assertion: string, key: KeyObject | undefined, options: { audiences: string[]; clientId?: string; now: number }): JwtCheck {
  const invalid = (description = 'invalid assertion'): JwtCheck => ({ ok: false, error: 'invalid_grant', description });
  const parts = assertion.split('.');
  if (parts.length !== 3) return invalid();
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Partial<Record<keyof JwtClaims, unknown>>;
  try {
    header = decodeSegment(headerPart) as { alg?: unknown };
    claims = decodeSegment(payloadPart) as typeof claims;
  } catch {
    return invalid();
  }
  if (header.alg !== 'RS256' || !key) return invalid();
  const signed = verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return invalid();
  if (typeof claims.iss !== 'string' || (options.clientId !== undefined && claims.iss !== options.clientId)) {
    return { ok: false, error: 'invalid_client_id', description: 'client identifier invalid' };
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') return invalid();
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const wanted = options.audiences.map((a) => a.replace(/\/$/, ''));
  if (!audiences.some((a) => typeof a === 'string' && wanted.includes(a.replace(/\/$/, '')))) return invalid('audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= options.now) return invalid('expired authorization code');
  return { ok: true, claims: { iss: claims.iss, sub: claims.sub, aud: String(audiences[0]), exp: claims.exp } };
}
