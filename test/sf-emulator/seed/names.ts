// Word lists for seed data: enough variety for realistic matching tests (legal suffixes, street
// abbreviations, several countries' address shapes), all invented.

export const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan',
  'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Margaret',
  'Donald', 'Sandra', 'Steven', 'Ashley', 'Paul', 'Kimberly', 'Andrew', 'Emily', 'Joshua', 'Donna', 'Kenneth', 'Michelle', 'Kevin', 'Carol',
  'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah', 'Ronald', 'Stephanie', 'Jürgen', 'Anneliese', 'Søren', 'Zoë', 'François', 'Hélène',
  'José', 'María', 'Björn', 'Ingrid', 'Luca', 'Giulia', 'Hiroshi', 'Yuki', 'Priya', 'Arjun', 'Wei', 'Mei', 'Olga', 'Dmitri', 'Fatima', 'Omar',
  'Aisha', 'Kwame', 'Chloé', 'Mathieu', 'Lars', 'Astrid', 'Pieter', 'Sanne', 'Nuno', 'Inês', 'Pat', 'Alex', 'Sam', 'Jordan', 'Taylor', 'Casey',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez',
  'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark',
  'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Dubois', 'Lefèvre', 'Moreau',
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Tanaka', 'Suzuki', 'Sato', 'Patel', 'Sharma', 'Wang', 'Li', 'Zhang', 'Ivanov', 'Petrova',
  "O'Brien", "O'Connor", 'McDonald', 'Van der Berg', 'De Vries', 'Jansen', 'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Kowalski', 'Nowak',
];

export const COMPANY_WORDS = [
  'Acme', 'Apex', 'Summit', 'Pinnacle', 'Vertex', 'Nimbus', 'Cobalt', 'Granite', 'Harbor', 'Meridian', 'Northwind', 'Silverline', 'Bluewater',
  'Redwood', 'Ironclad', 'Brightpath', 'Clearview', 'Evergreen', 'Falcon', 'Horizon', 'Keystone', 'Lakeside', 'Maple', 'Oakridge', 'Pioneer',
  'Quantum', 'Riverbend', 'Sterling', 'Trident', 'Unity', 'Vanguard', 'Westfield', 'Zenith', 'Atlas', 'Beacon', 'Cascade', 'Delta', 'Echo',
  'Frontier', 'Global', 'Helios', 'Insight', 'Juniper', 'Kinetic', 'Lumen', 'Momentum', 'Nova', 'Orion', 'Polaris', 'Radiant', 'Sapphire',
  'Titan', 'Ultra', 'Velocity', 'Willow', 'Alpen', 'Rhein', 'Nordic', 'Baltic', 'Iberia', 'Alpine', 'Coastal', 'Prairie', 'Metro', 'Capital',
];

export const COMPANY_NOUNS = [
  'Systems', 'Solutions', 'Technologies', 'Networks', 'Software', 'Logistics', 'Industries', 'Partners', 'Consulting', 'Distribution',
  'Supply', 'Digital', 'Data', 'Security', 'Cloud', 'Labs', 'Group', 'Holdings', 'Services', 'Manufacturing', 'Electronics', 'Analytics',
  'Communications', 'Energy', 'Media', 'Trading', 'Robotics', 'Health', 'Foods', 'Devices', 'IT', 'Telecom', 'Engineering', 'Ventures',
];

export const LEGAL_SUFFIXES = ['Inc', 'Inc.', 'LLC', 'L.L.C.', 'Ltd', 'Ltd.', 'GmbH', 'Corp', 'Corp.', 'Corporation', 'Co.', 'AG', 'SA', 'S.A.', 'BV', 'B.V.', 'Pty Ltd', 'PLC', 'SAS', 'S.r.l.', 'Oy', 'AB', 'GmbH & Co. KG', 'Limited', 'Company'];

export const TITLES = ['CEO', 'CTO', 'Sales Director', 'Partner Manager', 'Account Executive', 'Procurement Lead', 'VP Sales'];

export const DEAL_KINDS = ['Renewal', 'Expansion', 'New Business', 'Pilot', 'Upgrade'];

export const STREET_NAMES = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Market', 'Mission', 'Harbor', 'Church', 'Mill', 'River', 'Sunset', 'Broadway', 'Industrial', 'Commerce', 'Technology', 'Innovation'];

export const STREET_TYPES = ['St', 'St.', 'Street', 'Ave', 'Avenue', 'Rd', 'Road', 'Blvd', 'Boulevard', 'Way', 'Dr', 'Drive', 'Ln', 'Lane', 'Pkwy', 'Suite 200, Main St'];

export interface Place {
  city: string;
  state: string | null;
  country: string;
  postal: () => string;
  phonePrefix: string;
  street: 'us' | 'de' | 'fr' | 'uk';
}

const digits = (n: number, r: () => number) => String(Math.floor(r() * 10 ** n)).padStart(n, '0');

export function places(random: () => number): Place[] {
  const us = (city: string, state: string): Place => ({ city, state, country: 'United States', postal: () => digits(5, random), phonePrefix: '+1', street: 'us' });
  return [
    us('San Francisco', 'CA'), us('New York', 'NY'), us('Chicago', 'IL'), us('Austin', 'TX'), us('Seattle', 'WA'), us('Boston', 'MA'), us('Denver', 'CO'),
    us('Atlanta', 'GA'), us('Miami', 'FL'), us('Portland', 'OR'), us('Phoenix', 'AZ'), us('Minneapolis', 'MN'), us('Nashville', 'TN'), us('San Diego', 'CA'),
    { city: 'Berlin', state: null, country: 'Germany', postal: () => `1${digits(4, random)}`, phonePrefix: '+49', street: 'de' },
    { city: 'München', state: 'BY', country: 'Germany', postal: () => `8${digits(4, random)}`, phonePrefix: '+49', street: 'de' },
    { city: 'Hamburg', state: null, country: 'Germany', postal: () => `2${digits(4, random)}`, phonePrefix: '+49', street: 'de' },
    { city: 'Paris', state: null, country: 'France', postal: () => `750${digits(2, random)}`, phonePrefix: '+33', street: 'fr' },
    { city: 'Lyon', state: null, country: 'France', postal: () => `6900${digits(1, random)}`, phonePrefix: '+33', street: 'fr' },
    { city: 'London', state: null, country: 'United Kingdom', postal: () => `EC${digits(1, random)}A ${digits(1, random)}BB`, phonePrefix: '+44', street: 'uk' },
    { city: 'Manchester', state: null, country: 'United Kingdom', postal: () => `M${digits(1, random)} ${digits(1, random)}AB`, phonePrefix: '+44', street: 'uk' },
    { city: 'Toronto', state: 'ON', country: 'Canada', postal: () => `M5V ${digits(1, random)}A${digits(1, random)}`, phonePrefix: '+1', street: 'us' },
  ];
}

export const DE_STREETS = ['Hauptstraße', 'Bahnhofstr.', 'Gartenstraße', 'Schillerstraße', 'Goethestr.', 'Industriestraße', 'Am Markt', 'Lindenallee'];
export const FR_STREETS = ['rue de la Paix', 'avenue des Champs', 'boulevard Voltaire', 'rue du Commerce', 'place de la République'];
export const UK_STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue', 'King Street'];
