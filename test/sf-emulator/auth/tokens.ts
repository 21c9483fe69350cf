// Login identities and OAuth tokens. Access tokens look like Salesforce's (`00D…!AQ…`); expiring one
// leaves the refresh token and tokens issued later working, so clients that refresh recover.
import { randomBytes } from 'node:crypto';
import type { TokenChecker } from '../http/server.ts';

export interface EmulatorUser {
  id: string;
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
  alias: string;
  active: boolean;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return out;
}

export class TokenStore implements TokenChecker {
  private readonly usersByName = new Map<string, EmulatorUser>();
  private readonly usersById = new Map<string, EmulatorUser>();
  private readonly access = new Map<string, string>();
  private readonly refresh = new Map<string, string>();

  constructor(private readonly orgId: string) {}

  addUser(user: EmulatorUser): void {
    this.usersByName.set(user.username.toLowerCase(), user);
    this.usersById.set(user.id, user);
  }

  userByName(username: string): EmulatorUser | undefined {
    return this.usersByName.get(username.toLowerCase());
  }

  userById(id: string): EmulatorUser | undefined {
    return this.usersById.get(id);
  }

  get users(): EmulatorUser[] {
    return [...this.usersById.values()];
  }

  issueAccessToken(userId: string): string {
    const token = `${this.orgId.slice(0, 15)}!AQ${randomToken(96)}`;
    this.access.set(token, userId);
    return token;
  }

  issueRefreshToken(userId: string): string {
    const token = `5Aep861${randomToken(80)}`;
    this.refresh.set(token, userId);
    return token;
  }

  userForAccessToken(token: string): string | undefined {
    const userId = this.access.get(token);
    return userId && this.usersById.get(userId)?.active !== false ? userId : undefined;
  }

  userForRefreshToken(token: string): string | undefined {
    return this.refresh.get(token);
  }

  expireAccessToken(token: string): void {
    this.access.delete(token);
  }

  /** Expires every access token issued so far; refresh tokens stay valid. */
  expireAllAccessTokens(): void {
    this.access.clear();
  }

  revoke(token: string): void {
    this.access.delete(token);
    this.refresh.delete(token);
  }
}
