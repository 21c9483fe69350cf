// The OAuth 2.0 JWT bearer flow (server-to-server, no stored refresh token): a short-lived RS256
// assertion signed with the connected app's private key is exchanged for an access token.
import { createPrivateKey, sign } from 'node:crypto';

export interface JwtBearerInput {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKeyPem: string;
  now?: () => number;
}

export function jwtAssertion(input: JwtBearerInput): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  // Salesforce wants the login host as audience and allows at most 3 minutes of validity.
  const claims = { iss: input.clientId, sub: input.username, aud: input.loginUrl, exp: Math.floor((input.now ?? Date.now)() / 1000) + 180 };
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  let key;
  try {
    key = createPrivateKey(input.privateKeyPem);
  } catch {
    throw new Error('SF_JWT_KEY_FILE does not hold a PEM private key (it should start with "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----").');
  }
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

export interface TokenGrant {
  access_token: string;
  instance_url: string;
}

/** Exchanges a fresh assertion for a session; Salesforce's error is passed on in plain words. */
export async function requestJwtSession(input: JwtBearerInput): Promise<TokenGrant> {
  const response = await fetch(`${input.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(input) }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenGrant> & { error?: string; error_description?: string };
  if (!response.ok || !body.access_token || !body.instance_url) {
    throw new Error(
      `Salesforce refused the JWT bearer login for ${input.username}: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim() +
        '. Check that the connected app has the certificate of SF_JWT_KEY_FILE and that the user is pre-authorized for it.',
    );
  }
  return { access_token: body.access_token, instance_url: body.instance_url };
}
