import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  foldCase, normalizeCity, normalizeName, normalizePhone, normalizePostalCode, normalizeRecord, normalizeStreet,
  normalizeText, normalizeWebsite,
} from '../../middleware/matching/normalize.ts';

type Case = readonly [input: string | null | undefined, expected: string];

function table(name: string, normalize: (value: string | null | undefined) => string, cases: readonly Case[]): void {
  test(name, () => {
    for (const [input, expected] of cases) assert.equal(normalize(input), expected, `${name}(${JSON.stringify(input)})`);
  });
}

table('every normalizer returns "" for empty input', (value) => [
  normalizeText, normalizeName, normalizeStreet, normalizeCity, normalizePostalCode, normalizePhone, normalizeWebsite,
].map((normalize) => normalize(value)).join(''), [[undefined, ''], [null, ''], ['', ''], ['   ', ''], [' .,-/ ', '']]);

table('foldCase: case, accents and letters decomposition leaves alone', foldCase, [
  ['Crème Brûlée', 'creme brulee'], ['MÜLLER', 'muller'], ['Straße', 'strasse'], ['Ærø', 'aero'],
  ['Łódź', 'lodz'], ['Søren Håkansson', 'soren hakansson'], ['Dvořák', 'dvorak'], ['ﬁnance', 'finance'],
  ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
]);

table('normalizeText: punctuation, ampersands, initialisms, apostrophes', normalizeText, [
  ['Smith & Wollensky', 'smith and wollensky'], ["Arnie's", 'arnies'], ['Bel-Air', 'bel air'],
  ['U.S.A. Foods', 'usa foods'], ['J. P. Morgan', 'jp morgan'], ['A/S', 'as'], ['  many   spaces ', 'many spaces'],
  ['O’Brien', 'obrien'], ['semi;colon:comma,', 'semi colon comma'],
]);

table('normalizeName: legal forms only at the end', normalizeName, [
  ['Acme Inc.', 'acme'], ['Acme, Inc.', 'acme'], ['Acme Incorporated', 'acme'], ['ACME CORP', 'acme'],
  ['Acme Corporation', 'acme'], ['Acme Co.', 'acme'], ['Acme LLC', 'acme'], ['Acme L.L.C.', 'acme'],
  ['Acme Ltd', 'acme'], ['Acme Limited', 'acme'], ['Acme GmbH', 'acme'], ['Acme AG', 'acme'], ['Acme S.A.', 'acme'],
  ['Acme SA', 'acme'], ['Acme B.V.', 'acme'], ['Acme BV', 'acme'], ['Acme Pty Ltd', 'acme'], ['Acme Pty. Ltd.', 'acme'],
  ['Acme PLC', 'acme'], ['Acme SARL', 'acme'], ['Acme S.r.l.', 'acme'], ['Acme Oy', 'acme'], ['Acme AB', 'acme'],
  ['Acme KG', 'acme'], ['Acme GmbH & Co. KG', 'acme'], ['Acme A/S', 'acme'], ['Smith & Co.', 'smith'],
  ['Acme Inc. Europe', 'acme inc europe'], ['Co-op Bank', 'co op bank'], ['AB Volvo', 'ab volvo'],
  ['Inc', 'inc'], ['Limited Brands', 'limited brands'],
]);

table('normalizeName: "The", ampersands, brackets, abbreviations', normalizeName, [
  ['The Palm', 'palm'], ['Palm, The', 'palm'], ['apple pan  the', 'apple pan'], ['palm  the (los angeles)', 'palm'],
  ['The Company', 'company'], ['Grill on the Alley', 'grill on the alley'], ['Panos & Pauls', 'panos and pauls'],
  ['Spago (Los Angeles)', 'spago'], ['(Acme)', 'acme'], ['Acme Intl.', 'acme international'],
  ['Acme Mfg Co', 'acme manufacturing'], ['Amazon.com, Inc.', 'amazon'], ['Café Müller GmbH', 'cafe muller'],
  ['ACME Holdings Inc (UK)', 'acme holdings'],
]);

table('normalizeStreet: types, directions, ordinals', normalizeStreet, [
  ['435 S. La Cienega Blv.', '435 s la cienega blvd'], ['435 South La Cienega Boulevard', '435 s la cienega blvd'],
  ['854 Seventh Avenue', '854 7th ave'], ['854 7th Ave.', '854 7th ave'], ['3130 Piedmont Road', '3130 piedmont rd'],
  ['7 Claude La.', '7 claude ln'], ['8358 Sunset Blvd. West', '8358 sunset blvd w'], ['One Market Street', '1 market st'],
  ['123 St. Charles Ave', '123 saint charles ave'], ['21 W. 52nd St.', '21 w 52nd st'], ['30 Rockefeller Plaza', '30 rockefeller plz'],
  ['100 Main Pkwy', '100 main pkwy'], ['100 Main Parkway', '100 main pkwy'], ['5 Oak Ct', '5 oak ct'], ['9 Elm Court', '9 elm ct'],
]);

table('normalizeStreet: cross streets, landmarks and units dropped', normalizeStreet, [
  ['2450 broadway  between 90th and 91st sts.', '2450 broadway'], ['2 harrison st.  near hudson st.', '2 harrison st'],
  ['1110 3rd ave. at 65th st.', '1110 3rd ave'], ['95 ave. a at 6th st.', '95 ave a'],
  ['3393 peachtree rd.  lenox square mall  near neiman marcus', '3393 peachtree rd'],
  ['1 water st. at the east river', '1 water st'], ['100 Main St, Suite 400', '100 main st'], ['100 Main St Ste. 400', '100 main st'],
  ['100 Main St #12', '100 main st'], ['100 Main St, 3rd Floor', '100 main st'], ['100 Main St Fl 3', '100 main st'],
  ['12  Main St', '12 main st'], ['Pier 39', 'pier 39'], ['Hauptstraße 12', 'hauptstrasse 12'],
]);

table('normalizeCity', normalizeCity, [
  ['New York', 'new york'], ['St. Louis', 'saint louis'], ['Ft. Worth', 'fort worth'], ['W. Hollywood', 'w hollywood'],
  ['West Hollywood', 'w hollywood'], ['München', 'munchen'], ['Mt. Vernon', 'mount vernon'], ['West', 'west'],
]);

table('normalizePostalCode', normalizePostalCode, [
  ['94105', '94105'], ['94105-1234', '94105'], ['SW1A 1AA', 'sw1a1aa'], ['80 331', '80331'], ['D-80331', 'd80331'],
]);

table('normalizePhone: digits, NANP country code, extensions, last 10', normalizePhone, [
  ['310/246-1501', '3102461501'], ['310-246-1501', '3102461501'], ['(310) 246-1501', '3102461501'],
  ['+1 310 246 1501', '3102461501'], ['1-310-246-1501', '3102461501'], ['310.246.1501 x123', '3102461501'],
  ['310-246-1501 ext. 12', '3102461501'], ['212/ 319-1660', '2123191660'], ['213/651-2030.', '2136512030'],
  ['770/441--0291', '7704410291'], ['310/788-', ''], ['+49 89 1234567', '9891234567'],
  ['0049 89 1234567', '9891234567'], ['555-1234', '5551234'], ['123', ''], ['n/a', ''],
]);

table('normalizeWebsite: registrable domain', normalizeWebsite, [
  ['https://www.acme.com/about?x=1', 'acme.com'], ['acme.com', 'acme.com'], ['WWW.ACME.COM', 'acme.com'],
  ['http://shop.acme.co.uk/', 'acme.co.uk'], ['www2.acme.de:8080', 'acme.de'], ['info@acme.com', 'acme.com'],
  ['https://acme.wixsite.com/home', 'acme.wixsite.com'], ['https://www.facebook.com/acmecorp', 'facebook.com/acmecorp'],
  ['facebook.com', ''], ['not a website', ''], ['acme', ''], ['https://müller.de', 'muller.de'],
]);

test('normalizeRecord normalizes every feature and keeps the id', () => {
  assert.deepEqual(normalizeRecord({ id: '7', name: 'The Acme Corp.', street: '1 Main Street', city: 'St. Louis', postalCode: '63101-1234', phone: '+1 (314) 555-0100', website: 'https://www.acme.com' }), {
    id: '7', name: 'acme', street: '1 main st', city: 'saint louis', postalCode: '63101', phone: '3145550100', website: 'acme.com',
  });
  assert.deepEqual(normalizeRecord({ id: 'x' }), { id: 'x', name: '', street: '', city: '', postalCode: '', phone: '', website: '' });
});
