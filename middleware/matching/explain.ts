// One plain sentence per feature saying why a suggestion scored as it did, for the matching wizard.
// Only computed for the few suggestions shown, never in the scoring loop.
import type { PreparedRecord, WeightedTokens } from './prepare.ts';
import { alignTokens } from './similarity.ts';
import type { MatchFeature } from './types.ts';

const LABELS: Readonly<Record<MatchFeature, string>> = {
  name: 'Name', street: 'Street', city: 'City', postalCode: 'Postal code', phone: 'Phone', website: 'Website',
};

function percent(similarity: number): string {
  return `${Math.round(similarity * 100)}%`;
}

export function explainIgnored(feature: MatchFeature): string {
  return `${LABELS[feature]} not used (weight 0)`;
}

export function explainFeature(feature: MatchFeature, left: PreparedRecord, right: PreparedRecord, similarity: number): string {
  const label = LABELS[feature];
  const a = left.record[feature];
  const b = right.record[feature];
  if (a === '' || b === '') {
    const where = a === '' && b === '' ? 'both records' : a === '' ? 'the first record' : 'the second record';
    return `${label} not compared: missing on ${where}`;
  }
  switch (feature) {
    case 'name':
      return explainName(left.name, right.name, similarity);
    case 'street':
      return explainStreet(left, right, similarity);
    case 'phone':
      if (similarity === 1) return `Same phone number (${a})`;
      if (similarity > 0.5) return `Same phone number apart from a country or area code (${a} / ${b})`;
      if (similarity > 0) return `Same local number under different area codes (${a} / ${b})`;
      return `Different phone numbers (${a} / ${b})`;
    case 'website':
      if (similarity === 1) return `Same website domain (${a})`;
      if (similarity > 0) return `Same website name under different endings (${a} / ${b})`;
      return `Different website domains (${a} / ${b})`;
    default:
      if (similarity === 1) return `Same ${label.toLowerCase()} (${a})`;
      if (similarity > 0) return `${label}s alike, ${percent(similarity)} (“${a}” / “${b}”)`;
      return `Different ${label.toLowerCase()}s (“${a}” / “${b}”)`;
  }
}

function explainName(left: WeightedTokens, right: WeightedTokens, similarity: number): string {
  const alignment = alignTokens(left, right, 'name');
  const shared = left.tokens.filter((_, index) => (alignment.left[index] ?? 0) > 0);
  const unmatched = [
    ...left.tokens.filter((_, index) => (alignment.left[index] ?? 0) === 0),
    ...right.tokens.filter((_, index) => (alignment.right[index] ?? 0) === 0),
  ];
  const parts = [`Names ${percent(similarity)} alike`];
  if (shared.length > 0) parts.push(`shared words: ${shared.join(', ')}`);
  if (unmatched.length > 0) parts.push(`words on one side only: ${unmatched.join(', ')}`);
  return parts.join('; ');
}

function explainStreet(left: PreparedRecord, right: PreparedRecord, similarity: number): string {
  const a = left.street;
  const b = right.street;
  const street = `(“${left.record.street}” / “${right.record.street}”)`;
  if (a.number !== '' && b.number !== '') {
    const number = a.number === b.number ? `same house number ${a.number}` : `house numbers differ (${a.number} / ${b.number})`;
    return `Street ${percent(similarity)} alike: ${number} ${street}`;
  }
  return `Street ${percent(similarity)} alike, house number missing on one side ${street}`;
}
