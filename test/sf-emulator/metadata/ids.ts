// Salesforce-shaped ids for the things the Bulk, Metadata and Tooling modules mint themselves
// (bulk jobs 750, deploys 0Af, custom fields 00N, permission sets 0PS). Records get their ids from the
// org core; these never collide with them because the key prefixes differ.
import { createHash } from 'node:crypto';
import { idSuffix, toBase62 } from '../core/ids.ts';

export const KEY_PREFIX = {
  bulkJob: '750',
  deploy: '0Af',
  customField: '00N',
  permissionSet: '0PS',
} as const;

// A per-process random start keeps ids from two emulator runs apart, as ids from two orgs are.
let sequence = Math.floor(Math.random() * 1e12);

/** A fresh 18-character id with the given 3-character key prefix. */
export function newId(keyPrefix: string): string {
  sequence += 1;
  const id15 = keyPrefix + '5f' + toBase62(sequence, 10);
  return id15 + idSuffix(id15);
}

/** A stable id derived from a name: the same custom field always answers with the same 00N… id. */
export function stableId(keyPrefix: string, name: string): string {
  const digest = createHash('sha256').update(name.toLowerCase()).digest();
  const id15 = keyPrefix + '5f' + toBase62(digest.readUIntBE(0, 6), 10);
  return id15 + idSuffix(id15);
}
