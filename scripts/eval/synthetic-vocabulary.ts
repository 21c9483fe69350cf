// Word lists for the synthetic partner-company data set. Invented, generic business vocabulary; nothing is
// taken from the restaurant benchmark.

/** Syllables for invented brand words ("Velantra", "Korvix"), so 100k companies can have distinct names. */
export const SYLLABLES = [
  'al', 'an', 'ar', 'as', 'ba', 'be', 'bri', 'ca', 'cel', 'cor', 'da', 'del', 'den', 'dor', 'el', 'en', 'er', 'fa',
  'fel', 'fin', 'ga', 'gen', 'gra', 'ha', 'hel', 'in', 'is', 'ka', 'kel', 'kor', 'la', 'lan', 'len', 'li', 'lo',
  'lu', 'ma', 'mar', 'mel', 'mi', 'mo', 'na', 'nel', 'nor', 'no', 'o', 'or', 'pa', 'pel', 'per', 'qua', 'ra',
  'ren', 'ri', 'ro', 'sa', 'sel', 'so', 'ta', 'tel', 'ter', 'tor', 'tra', 'u', 'va', 'vel', 'ven', 'vi', 'vor',
  'xa', 'ya', 'za', 'zel', 'zor', 'ix', 'ex', 'on', 'um', 'ia', 'eo',
];

/** Real-word halves for compound brand names ("Brightwater", "Stonebridge"). */
export const COMPOUND_HEADS = [
  'bright', 'stone', 'silver', 'blue', 'green', 'red', 'north', 'south', 'east', 'west', 'iron', 'oak', 'pine',
  'cedar', 'maple', 'river', 'lake', 'summit', 'peak', 'sun', 'moon', 'star', 'clear', 'deep', 'high', 'true',
  'swift', 'bold', 'gold', 'crystal', 'eagle', 'falcon', 'fox', 'wolf', 'bear', 'harbor', 'bay', 'coast',
];
export const COMPOUND_TAILS = [
  'water', 'bridge', 'field', 'stone', 'wood', 'view', 'point', 'gate', 'path', 'line', 'ridge', 'brook', 'haven',
  'crest', 'light', 'works', 'forge', 'mark', 'side', 'land', 'port', 'wave', 'rock', 'spring', 'vale', 'core',
];

export const SURNAMES = [
  'Miller', 'Johnson', 'Schmidt', 'Müller', 'García', 'Rossi', 'Dubois', 'Novak', 'Kowalski', 'Andersson',
  'Nielsen', 'O’Brien', 'McCarthy', 'Nguyen', 'Tanaka', 'Patel', 'Singh', 'Cohen', 'Fischer', 'Weber', 'Lefèvre',
  'Bianchi', 'Fernández', 'Søren', 'Håkansson', 'Łukasz', 'Dvořák', 'Brown', 'Taylor', 'Walker', 'Harris',
  'Clarke', 'Lewis', 'Young', 'King', 'Wright', 'Hill', 'Green', 'Baker', 'Adams', 'Nelson', 'Carter', 'Mitchell',
  'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris',
];

/** Industry phrases; shared by many unrelated companies, which is the point. */
export const INDUSTRY_PHRASES = [
  'Solutions', 'Consulting', 'Consulting Group', 'Partners', 'Group', 'Technologies', 'Technology Solutions',
  'Software', 'Systems', 'Data Solutions', 'Digital', 'Digital Media', 'Marketing', 'Marketing Group', 'Media',
  'Analytics', 'Logistics', 'Supply Co', 'Manufacturing', 'Industries', 'Engineering', 'Construction',
  'Properties', 'Real Estate', 'Capital', 'Capital Partners', 'Financial Services', 'Insurance Agency',
  'Advisors', 'Wealth Management', 'Health', 'Medical Group', 'Dental Care', 'Pharmacy', 'Labs', 'Security',
  'Networks', 'Cloud Services', 'IT Services', 'Staffing', 'Design Studio', 'Architects', 'Law Group',
  'Energy', 'Solar', 'Environmental Services', 'Foods', 'Catering', 'Restaurant Group', 'Coffee Company',
  'Trading', 'Imports', 'Distribution', 'International', 'Global Services', 'Associates', 'Holdings',
  'Enterprises', 'Ventures', 'Research', 'Training Institute', 'Communications', 'Printing', 'Packaging',
];

/** Spelling swaps people make for the same word (applied to the Salesforce copy). */
export const WORD_VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ['International', 'Intl'], ['Technologies', 'Tech'], ['Technology', 'Tech'], ['Services', 'Svcs'],
  ['Manufacturing', 'Mfg'], ['Associates', 'Assoc.'], ['Management', 'Mgmt'], ['Laboratories', 'Labs'],
  ['Engineering', 'Eng.'], ['Communications', 'Comms'], ['Distribution', 'Distrib.'], ['Group', 'Grp'],
  ['Consulting', 'Consultants'], ['Solutions', 'Solution'], ['Center', 'Centre'], ['&', 'and'],
];

export const LEGAL_FORMS_US = ['Inc.', 'Inc', 'Incorporated', 'LLC', 'L.L.C.', 'Corp.', 'Corporation', 'Co.', 'Company', 'Ltd.', 'LLP'];
export const LEGAL_FORMS_EU = ['GmbH', 'AG', 'S.A.', 'SA', 'SARL', 'S.r.l.', 'B.V.', 'BV', 'Oy', 'AB', 'GmbH & Co. KG', 'Ltd', 'Limited', 'PLC', 'Pty Ltd', 'Pty. Ltd.', 'S.L.', 'A/S', 'ApS', 'N.V.'];

/** Equivalent legal forms (the Salesforce copy may spell the form differently). */
export const LEGAL_FORM_SWAPS: Readonly<Record<string, readonly string[]>> = {
  'Inc.': ['Inc', 'Incorporated', ', Inc.'], Inc: ['Inc.', 'Incorporated'], Incorporated: ['Inc.', 'Inc'],
  LLC: ['L.L.C.', ', LLC', 'llc'], 'L.L.C.': ['LLC'], 'Corp.': ['Corporation', 'Corp'], Corporation: ['Corp.', 'Corp'],
  'Co.': ['Company', 'Co'], Company: ['Co.', 'Co'], 'Ltd.': ['Limited', 'Ltd'], Ltd: ['Limited', 'Ltd.'],
  Limited: ['Ltd', 'Ltd.'], 'S.A.': ['SA', 'S. A.'], SA: ['S.A.'], 'B.V.': ['BV', 'B. V.'], BV: ['B.V.'],
  'Pty Ltd': ['Pty. Ltd.', 'Pty Limited', 'Pty'], 'Pty. Ltd.': ['Pty Ltd'], 'S.r.l.': ['Srl', 'S.R.L.'],
  'GmbH & Co. KG': ['GmbH & Co KG', 'GmbH'], PLC: ['plc', 'P.L.C.'], 'S.L.': ['SL'], 'N.V.': ['NV'],
};

export interface CityInfo {
  readonly city: string;
  /** Other ways the same city is written. */
  readonly variants: readonly string[];
  readonly areaCode: string;
  /** Leading characters of its postal codes; the generator appends random digits. */
  readonly zipPrefix: string;
  readonly country: 'US' | 'EU';
}

export const CITIES: readonly CityInfo[] = [
  { city: 'New York', variants: ['New York City', 'NYC', 'new york'], areaCode: '212', zipPrefix: '100', country: 'US' },
  { city: 'Los Angeles', variants: ['LA', 'Los Angeles'], areaCode: '213', zipPrefix: '900', country: 'US' },
  { city: 'San Francisco', variants: ['SF', 'San Fransisco'], areaCode: '415', zipPrefix: '941', country: 'US' },
  { city: 'Saint Louis', variants: ['St. Louis', 'St Louis'], areaCode: '314', zipPrefix: '631', country: 'US' },
  { city: 'Fort Worth', variants: ['Ft. Worth'], areaCode: '817', zipPrefix: '761', country: 'US' },
  { city: 'Chicago', variants: ['chicago'], areaCode: '312', zipPrefix: '606', country: 'US' },
  { city: 'Boston', variants: ['Boston'], areaCode: '617', zipPrefix: '021', country: 'US' },
  { city: 'Seattle', variants: ['Seattle'], areaCode: '206', zipPrefix: '981', country: 'US' },
  { city: 'Austin', variants: ['Austin'], areaCode: '512', zipPrefix: '787', country: 'US' },
  { city: 'Denver', variants: ['Denver'], areaCode: '303', zipPrefix: '802', country: 'US' },
  { city: 'Atlanta', variants: ['Atlanta'], areaCode: '404', zipPrefix: '303', country: 'US' },
  { city: 'Miami', variants: ['Miami'], areaCode: '305', zipPrefix: '331', country: 'US' },
  { city: 'Portland', variants: ['Portland'], areaCode: '503', zipPrefix: '972', country: 'US' },
  { city: 'West Hollywood', variants: ['W. Hollywood', 'West Hollywood'], areaCode: '310', zipPrefix: '900', country: 'US' },
  { city: 'Minneapolis', variants: ['Mpls'], areaCode: '612', zipPrefix: '554', country: 'US' },
  { city: 'Phoenix', variants: ['Phoenix'], areaCode: '602', zipPrefix: '850', country: 'US' },
  { city: 'Dallas', variants: ['Dallas'], areaCode: '214', zipPrefix: '752', country: 'US' },
  { city: 'San Diego', variants: ['San Diego'], areaCode: '619', zipPrefix: '921', country: 'US' },
  { city: 'München', variants: ['Muenchen', 'Munich', 'Munchen'], areaCode: '89', zipPrefix: '803', country: 'EU' },
  { city: 'Zürich', variants: ['Zurich', 'Zuerich'], areaCode: '44', zipPrefix: '80', country: 'EU' },
  { city: 'Paris', variants: ['Paris'], areaCode: '1', zipPrefix: '750', country: 'EU' },
  { city: 'Köln', variants: ['Koeln', 'Cologne'], areaCode: '221', zipPrefix: '506', country: 'EU' },
  { city: 'Amsterdam', variants: ['Amsterdam'], areaCode: '20', zipPrefix: '101', country: 'EU' },
  { city: 'Göteborg', variants: ['Gothenburg', 'Goteborg'], areaCode: '31', zipPrefix: '411', country: 'EU' },
  { city: 'London', variants: ['London'], areaCode: '20', zipPrefix: 'EC1', country: 'EU' },
];

export const STREET_NAMES = [
  'Main', 'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Market', 'Mission', 'Broadway', 'Park', 'Lake', 'Hill',
  'Washington', 'Lincoln', 'Jefferson', 'Madison', 'Franklin', 'Peachtree', 'Sunset', 'Ventura', 'Wilshire',
  'Highland', 'Central', 'Union', 'Commerce', 'Industrial', 'Technology', 'Corporate', 'Enterprise', 'Harbor',
  'River', 'Spring', 'Church', 'School', 'Mill', 'Bridge', 'Forest', 'Meadow', 'Sutter', 'Folsom', 'Howard',
  'First', 'Second', 'Third', 'Fifth', 'Seventh', 'Ninth', '12th', '14th', '22nd', '52nd',
];

/** European street names carry the house number after the name ("Königsallee 27"). */
export const EUROPEAN_STREET_NAMES = [
  'Hauptstraße', 'Bahnhofstraße', 'Rue de Rivoli', 'Königsallee', 'Keizersgracht', 'Kungsgatan', 'Leopoldstraße',
  'Rue du Faubourg', 'Prinsengracht', 'Drottninggatan', 'Schillerstraße', 'Avenue Montaigne', 'Goethestraße',
];

/** Street types with their equivalent spellings; the first is the full form. */
export const STREET_TYPE_SPELLINGS: ReadonlyArray<readonly string[]> = [
  ['Street', 'St.', 'St'], ['Avenue', 'Ave.', 'Ave', 'Av.'], ['Boulevard', 'Blvd.', 'Blvd'], ['Road', 'Rd.', 'Rd'],
  ['Drive', 'Dr.', 'Dr'], ['Lane', 'Ln.', 'Ln'], ['Court', 'Ct.'], ['Place', 'Pl.'], ['Parkway', 'Pkwy'],
  ['Way', 'Way'], ['Highway', 'Hwy'], ['Square', 'Sq.'],
];

export const DIRECTION_SPELLINGS: ReadonlyArray<readonly string[]> = [
  ['North', 'N.', 'N'], ['South', 'S.', 'S'], ['East', 'E.', 'E'], ['West', 'W.', 'W'], ['Northeast', 'NE', 'N.E.'],
];

export const UNIT_SPELLINGS: ReadonlyArray<readonly string[]> = [
  ['Suite', 'Ste.', 'Ste', '#'], ['Floor', 'Fl.'], ['Unit', '#'], ['Apt.', 'Apt', '#'],
];
