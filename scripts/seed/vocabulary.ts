// Words the PRM seed data is built from: company name parts, legal suffixes and address formats per
// country, people's names and job titles. Plain data.

export interface CountryProfile {
  country: string;
  /** Weight in the mix of organizations. */
  weight: number;
  suffixes: readonly string[];
  tld: string;
  cities: ReadonlyArray<{ city: string; state: string | null; postal: () => string }>;
  streets: readonly string[];
  /** Street line from a number and a street name, in the country's order. */
  street: (number: number, name: string) => string;
  phone: () => string;
}

const digitsOf = (random: () => number, count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');

/** Postal codes need randomness; the generator passes its own source in through this factory. */
export function countries(random: () => number): readonly CountryProfile[] {
  const d = (n: number) => () => digitsOf(random, n);
  const ukPostal = (area: string) => () => `${area}${1 + Math.floor(random() * 9)} ${Math.floor(random() * 10)}${'ABDEFGHJLNPQRSTUWXY'[Math.floor(random() * 19)]}${'ABDEFGHJLNPQRSTUWXY'[Math.floor(random() * 19)]}`;
  return [
    {
      country: 'United States',
      weight: 50,
      suffixes: ['Inc.', 'LLC', 'Corp.', 'Inc', 'Corporation', 'Co.', 'L.L.C.'],
      tld: 'com',
      cities: [
        { city: 'Austin', state: 'TX', postal: () => `787${d(2)()}` },
        { city: 'Denver', state: 'CO', postal: () => `802${d(2)()}` },
        { city: 'Chicago', state: 'IL', postal: () => `606${d(2)()}` },
        { city: 'Atlanta', state: 'GA', postal: () => `303${d(2)()}` },
        { city: 'San Jose', state: 'CA', postal: () => `951${d(2)()}` },
        { city: 'Seattle', state: 'WA', postal: () => `981${d(2)()}` },
        { city: 'Boston', state: 'MA', postal: () => `021${d(2)()}` },
        { city: 'Raleigh', state: 'NC', postal: () => `276${d(2)()}` },
        { city: 'Phoenix', state: 'AZ', postal: () => `850${d(2)()}` },
        { city: 'Minneapolis', state: 'MN', postal: () => `554${d(2)()}` },
        { city: 'New York', state: 'NY', postal: () => `100${d(2)()}` },
        { city: 'Columbus', state: 'OH', postal: () => `432${d(2)()}` },
      ],
      streets: ['Main Street', 'Oak Avenue', 'Commerce Drive', 'Technology Parkway', 'Market Street', 'Park Boulevard', 'Lakeview Road', 'Industrial Way', 'Washington Avenue', 'Maple Lane', 'Innovation Drive', 'Cedar Court'],
      street: (number, name) => `${number} ${name}${random() < 0.25 ? `, Suite ${100 + Math.floor(random() * 800)}` : ''}`,
      phone: () => `+1 (${2 + Math.floor(random() * 8)}${d(2)()}) ${d(3)()}-${d(4)()}`,
    },
    {
      country: 'United Kingdom',
      weight: 14,
      suffixes: ['Ltd', 'Limited', 'PLC', 'Ltd.', 'LLP'],
      tld: 'co.uk',
      cities: [
        { city: 'London', state: null, postal: ukPostal('EC') },
        { city: 'Manchester', state: null, postal: ukPostal('M') },
        { city: 'Leeds', state: null, postal: ukPostal('LS') },
        { city: 'Bristol', state: null, postal: ukPostal('BS') },
        { city: 'Reading', state: 'Berkshire', postal: ukPostal('RG') },
        { city: 'Edinburgh', state: 'Scotland', postal: ukPostal('EH') },
      ],
      streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Kings Road', 'Queensway', 'Park Road'],
      street: (number, name) => `${number} ${name}`,
      phone: () => `+44 ${1 + Math.floor(random() * 2)}${d(3)()} ${d(6)()}`,
    },
    {
      country: 'Germany',
      weight: 14,
      suffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'UG'],
      tld: 'de',
      cities: [
        { city: 'München', state: 'Bayern', postal: () => `80${d(3)()}` },
        { city: 'Berlin', state: 'Berlin', postal: () => `10${d(3)()}` },
        { city: 'Hamburg', state: 'Hamburg', postal: () => `20${d(3)()}` },
        { city: 'Köln', state: 'Nordrhein-Westfalen', postal: () => `50${d(3)()}` },
        { city: 'Frankfurt am Main', state: 'Hessen', postal: () => `60${d(3)()}` },
        { city: 'Stuttgart', state: 'Baden-Württemberg', postal: () => `70${d(3)()}` },
      ],
      streets: ['Hauptstraße', 'Bahnhofstraße', 'Industriestraße', 'Schillerstraße', 'Goethestraße', 'Lindenallee', 'Am Marktplatz', 'Gartenweg'],
      street: (number, name) => `${name} ${number}`,
      phone: () => `+49 ${d(2)()} ${d(7)()}`,
    },
    {
      country: 'France',
      weight: 8,
      suffixes: ['SARL', 'SAS', 'S.A.', 'SA'],
      tld: 'fr',
      cities: [
        { city: 'Paris', state: 'Île-de-France', postal: () => `750${d(2)()}` },
        { city: 'Lyon', state: 'Auvergne-Rhône-Alpes', postal: () => `690${d(2)()}` },
        { city: 'Toulouse', state: 'Occitanie', postal: () => `310${d(2)()}` },
        { city: 'Nantes', state: 'Pays de la Loire', postal: () => `440${d(2)()}` },
      ],
      streets: ['Rue de la République', 'Avenue Victor Hugo', 'Boulevard Voltaire', 'Rue du Commerce', 'Rue Pasteur', 'Avenue Jean Jaurès'],
      street: (number, name) => `${number} ${name}`,
      phone: () => `+33 ${1 + Math.floor(random() * 5)} ${d(2)()} ${d(2)()} ${d(2)()} ${d(2)()}`,
    },
    {
      country: 'Netherlands',
      weight: 7,
      suffixes: ['B.V.', 'BV', 'N.V.'],
      tld: 'nl',
      cities: [
        { city: 'Amsterdam', state: 'Noord-Holland', postal: () => `10${d(2)()} ${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}` },
        { city: 'Rotterdam', state: 'Zuid-Holland', postal: () => `30${d(2)()} ${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}` },
        { city: 'Utrecht', state: 'Utrecht', postal: () => `35${d(2)()} ${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}${'ABCDEFGHJKLMNPRSTVWXZ'[Math.floor(random() * 21)]}` },
      ],
      streets: ['Keizersgracht', 'Stationsplein', 'Kerkstraat', 'Dorpsstraat', 'Havenweg'],
      street: (number, name) => `${name} ${number}`,
      phone: () => `+31 ${d(2)()} ${d(3)()} ${d(4)()}`,
    },
    {
      country: 'Canada',
      weight: 7,
      suffixes: ['Inc.', 'Ltd.', 'Corp.', 'ULC'],
      tld: 'ca',
      cities: [
        { city: 'Toronto', state: 'ON', postal: () => `M${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]} ${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]}${d(1)()}` },
        { city: 'Vancouver', state: 'BC', postal: () => `V${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]} ${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]}${d(1)()}` },
        { city: 'Montréal', state: 'QC', postal: () => `H${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]} ${d(1)()}${'ABCEGHJKLMNPRSTVXY'[Math.floor(random() * 18)]}${d(1)()}` },
      ],
      streets: ['King Street West', 'Bay Street', 'Granville Street', 'Rue Sainte-Catherine', 'Yonge Street'],
      street: (number, name) => `${number} ${name}`,
      phone: () => `+1 (${4 + Math.floor(random() * 3)}${d(2)()}) ${d(3)()}-${d(4)()}`,
    },
  ];
}

export const NAME_FIRST = [
  'Apex', 'Blue', 'Bright', 'Cascade', 'Cedar', 'Clear', 'Coastal', 'Core', 'Crest', 'Delta', 'Eagle', 'Evergreen', 'First', 'Fusion', 'Granite',
  'Harbor', 'Horizon', 'Iron', 'Keystone', 'Liberty', 'Lumen', 'Maple', 'Meridian', 'Metro', 'Nordic', 'North', 'Northstar', 'Oak', 'Orbit',
  'Pacific', 'Peak', 'Pioneer', 'Prairie', 'Prime', 'Quantum', 'Redwood', 'Ridge', 'River', 'Sage', 'Silver', 'Sky', 'Summit', 'Sun',
  'Tandem', 'Titan', 'True', 'Unity', 'Vanguard', 'Vertex', 'Vista', 'West', 'Willow', 'Zenith',
] as const;

export const NAME_SECOND = [
  'Systems', 'Solutions', 'Technologies', 'Networks', 'Data', 'Digital', 'Computing', 'Cloud', 'Software', 'Integration', 'Logic',
  'Consulting', 'IT Services', 'Security', 'Infrastructure', 'Communications', 'Analytics', 'Labs', 'Works', 'Group', 'Partners',
  'Distribution', 'Supply', 'Trading', 'Channel', 'Microsystems', 'Datacom', 'Telecom',
] as const;

export const DISTRIBUTOR_WORDS = ['Distribution', 'Supply', 'Trading', 'Wholesale', 'Logistics', 'Channel'] as const;

export const SURNAMES = [
  'Anderson', 'Baker', 'Becker', 'Bennett', 'Brooks', 'Carter', 'Clarke', 'Collins', 'Dubois', 'Evans', 'Fischer', 'Foster', 'Garcia',
  'Hansen', 'Harris', 'Hughes', 'Jansen', 'Johnson', 'Keller', 'Kim', 'Laurent', 'Lee', 'Martin', 'Meyer', 'Miller', 'Moreau', 'Morgan',
  'Nguyen', 'Novak', 'Okafor', 'Parker', 'Patel', 'Peters', 'Reed', 'Richter', 'Rossi', 'Schmidt', 'Schneider', 'Singh', 'Smith',
  'Sullivan', 'Taylor', 'Thomas', 'Turner', 'van Dijk', 'de Vries', 'Wagner', 'Walker', 'Weber', 'White', 'Wilson', 'Wright', 'Young',
] as const;

export const FIRST_NAMES = [
  'Aisha', 'Alex', 'Amelia', 'Ana', 'Ben', 'Carlos', 'Charlotte', 'Chen', 'Claire', 'Daniel', 'David', 'Elena', 'Emma', 'Fatima', 'Felix',
  'Grace', 'Hannah', 'Hiro', 'Isabel', 'Jack', 'James', 'Jana', 'Julia', 'Kai', 'Laura', 'Leon', 'Liam', 'Lucas', 'Maria', 'Mark',
  'Maya', 'Mia', 'Michael', 'Nina', 'Noah', 'Olivia', 'Omar', 'Paul', 'Priya', 'Rachel', 'Raj', 'Sam', 'Sara', 'Sophie', 'Stefan',
  'Thomas', 'Tom', 'Victoria', 'Wei', 'Yusuf', 'Zoe', 'José', 'Zoë', 'Renée', 'Jürgen',
] as const;

export const TITLES = [
  'Partner Manager', 'Channel Sales Manager', 'Account Executive', 'Sales Director', 'CEO', 'CTO', 'Managing Director', 'Solutions Architect',
  'Sales Engineer', 'Marketing Manager', 'Operations Manager', 'Business Development Manager', 'Inside Sales Representative', 'VP Sales',
  'Technical Consultant', 'Procurement Manager', 'Office Manager',
] as const;
