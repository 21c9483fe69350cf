// Word lists that normalization relies on. Entries are already in normalized form: lower case, no accents,
// no dots (initialisms such as "L.L.C." are collapsed to "llc" before these lists are consulted).

/**
 * Legal-form words. They are removed only from the end of a name (repeatedly, so "Pty Ltd" and
 * "GmbH & Co. KG" go entirely) and never when nothing would be left.
 */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  // English-speaking countries
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'cos', 'companies', 'llc', 'llp', 'lllp',
  'lp', 'ltd', 'limited', 'plc', 'pty', 'pte', 'pvt', 'pl', 'lc', 'pllc', 'pc', 'pa',
  // German-speaking
  'gmbh', 'mbh', 'ag', 'kg', 'kgaa', 'ohg', 'ug', 'ev', 'eg', 'gbr',
  // French, Spanish, Italian, Portuguese
  'sa', 'sas', 'sasu', 'sarl', 'eurl', 'sca', 'snc', 'sl', 'slu', 'sau', 'srl', 'spa', 'sapa', 'ltda', 'lda',
  'cv', 'sc', 'scs',
  // Benelux and Nordics
  'bv', 'nv', 'vof', 'cvba', 'bvba', 'oy', 'oyj', 'ab', 'as', 'asa', 'aps', 'hf', 'se',
  // Eastern Europe and Asia
  'sro', 'kft', 'zrt', 'nyrt', 'doo', 'dd', 'ad', 'ood', 'ooo', 'zao', 'oao', 'pjsc', 'kk', 'zoo', 'bhd', 'sdn',
  'tbk',
]);

/** Words that glue legal forms together ("GmbH & Co. KG", "S.A. de C.V.", "Sp. z o.o."). */
export const LEGAL_CONNECTORS: ReadonlySet<string> = new Set(['and', 'de', 'z', 'sp', 'y', 'et', 'und']);

/** Articles dropped from the start of a name, or from its end where a directory moved them ("Palm, The"). */
export const NAME_ARTICLES: ReadonlySet<string> = new Set(['the']);

/** Business words that are often abbreviated; both spellings normalize to the long form. */
export const NAME_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['intl', 'international'], ['int', 'international'], ['natl', 'national'], ['mfg', 'manufacturing'],
  ['svc', 'service'], ['svcs', 'services'], ['assoc', 'associates'], ['assocs', 'associates'],
  ['bros', 'brothers'], ['mgmt', 'management'], ['mgt', 'management'], ['grp', 'group'], ['hldgs', 'holdings'],
  ['hldg', 'holding'], ['sys', 'systems'], ['tech', 'technology'], ['techs', 'technologies'],
  ['univ', 'university'], ['dept', 'department'], ['ctr', 'center'], ['centre', 'center'], ['labs', 'laboratories'],
  ['lab', 'laboratory'], ['eng', 'engineering'], ['engg', 'engineering'], ['dev', 'development'],
  ['mktg', 'marketing'], ['distrib', 'distribution'], ['ins', 'insurance'], ['fin', 'financial'],
]);

/** Street-type spellings → the canonical (USPS-style) abbreviation. */
export const STREET_TYPES: ReadonlyMap<string, string> = new Map([
  ['street', 'st'], ['st', 'st'], ['str', 'st'], ['strt', 'st'], ['sts', 'st'],
  ['avenue', 'ave'], ['ave', 'ave'], ['av', 'ave'], ['aven', 'ave'], ['avenu', 'ave'], ['avn', 'ave'], ['avnue', 'ave'],
  ['boulevard', 'blvd'], ['blvd', 'blvd'], ['blv', 'blvd'], ['boul', 'blvd'], ['boulv', 'blvd'],
  ['road', 'rd'], ['rd', 'rd'],
  ['drive', 'dr'], ['dr', 'dr'], ['driv', 'dr'], ['drv', 'dr'],
  ['lane', 'ln'], ['ln', 'ln'],
  ['court', 'ct'], ['ct', 'ct'], ['crt', 'ct'],
  ['place', 'pl'], ['pl', 'pl'],
  ['parkway', 'pkwy'], ['pkwy', 'pkwy'], ['pky', 'pkwy'], ['pkway', 'pkwy'], ['parkwy', 'pkwy'],
  ['highway', 'hwy'], ['hwy', 'hwy'], ['hiway', 'hwy'], ['hiwy', 'hwy'],
  ['square', 'sq'], ['sq', 'sq'], ['sqr', 'sq'],
  ['terrace', 'ter'], ['ter', 'ter'], ['terr', 'ter'],
  ['circle', 'cir'], ['cir', 'cir'], ['circ', 'cir'],
  ['trail', 'trl'], ['trl', 'trl'],
  ['plaza', 'plz'], ['plz', 'plz'], ['plza', 'plz'],
  ['freeway', 'fwy'], ['fwy', 'fwy'],
  ['expressway', 'expy'], ['expy', 'expy'], ['expwy', 'expy'],
  ['alley', 'aly'], ['aly', 'aly'],
  ['crescent', 'cres'], ['cres', 'cres'],
  ['center', 'ctr'], ['centre', 'ctr'], ['ctr', 'ctr'],
  ['route', 'rte'], ['rte', 'rte'],
  ['way', 'way'], ['wy', 'way'],
]);

/** Street types that only read as such in the last position ("Claude La." is a lane, "La Brea" is not). */
export const TRAILING_ONLY_STREET_TYPES: ReadonlyMap<string, string> = new Map([['la', 'ln']]);

export const DIRECTIONS: ReadonlyMap<string, string> = new Map([
  ['north', 'n'], ['south', 's'], ['east', 'e'], ['west', 'w'],
  ['northeast', 'ne'], ['northwest', 'nw'], ['southeast', 'se'], ['southwest', 'sw'],
  ['n', 'n'], ['s', 's'], ['e', 'e'], ['w', 'w'], ['ne', 'ne'], ['nw', 'nw'], ['se', 'se'], ['sw', 'sw'],
]);

/** Spelled-out ordinals in street names ("Seventh Ave." = "7th Ave."). */
export const ORDINAL_WORDS: ReadonlyMap<string, string> = new Map([
  ['first', '1st'], ['second', '2nd'], ['third', '3rd'], ['fourth', '4th'], ['fifth', '5th'], ['sixth', '6th'],
  ['seventh', '7th'], ['eighth', '8th'], ['ninth', '9th'], ['tenth', '10th'], ['eleventh', '11th'],
  ['twelfth', '12th'], ['thirteenth', '13th'], ['fourteenth', '14th'], ['fifteenth', '15th'],
  ['sixteenth', '16th'], ['seventeenth', '17th'], ['eighteenth', '18th'], ['nineteenth', '19th'],
  ['twentieth', '20th'],
]);

/** Spelled-out house numbers ("One Market St."). Only applied to the first token of a street. */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ['one', '1'], ['two', '2'], ['three', '3'], ['four', '4'], ['five', '5'], ['six', '6'], ['seven', '7'],
  ['eight', '8'], ['nine', '9'], ['ten', '10'],
]);

/**
 * Secondary-unit designators; the designator and the token after it are dropped ("Suite 400", "Fl 3"), because
 * one side often omits the unit. Ambiguous words that also name places ("Pier 39", "Lot", "Box") are left out.
 */
export const UNIT_DESIGNATORS: ReadonlySet<string> = new Set([
  'suite', 'ste', 'unit', 'apt', 'apartment', 'floor', 'fl', 'flr', 'room', 'rm', 'bldg', 'building', 'dept',
  'office', 'ofc', 'pmb', 'spc', 'trlr',
]);

/** Words that start a cross-street or landmark tail ("2450 Broadway between 90th and 91st Sts."). */
export const CROSS_STREET_WORDS: ReadonlySet<string> = new Set(['between', 'betw', 'btwn', 'bet', 'near', 'nr', 'off', 'opposite']);
export const CROSS_STREET_PHRASES: ReadonlySet<string> = new Set(['corner of', 'across from', 'next to']);

/** City-name abbreviations at the start of a city ("St. Louis", "Ft. Worth", "Mt. Vernon"). */
export const CITY_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['st', 'saint'], ['ste', 'sainte'], ['ft', 'fort'], ['mt', 'mount'], ['pt', 'port'],
]);

/** Public suffixes with two labels, for which the registrable domain keeps three labels. */
export const MULTI_LABEL_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'ltd.uk', 'plc.uk', 'me.uk', 'net.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'co.nz', 'org.nz', 'net.nz',
  'co.jp', 'ne.jp', 'or.jp', 'co.kr', 'or.kr', 'com.cn', 'net.cn', 'org.cn', 'com.hk', 'com.tw', 'com.sg',
  'com.my', 'co.in', 'net.in', 'org.in', 'co.id', 'co.th', 'com.ph', 'com.vn',
  'com.br', 'net.br', 'org.br', 'com.mx', 'com.ar', 'com.co', 'com.pe', 'cl.cl', 'com.uy',
  'co.za', 'org.za', 'com.tr', 'com.eg', 'co.il', 'org.il', 'com.sa', 'com.pl', 'com.ua', 'com.ru',
]);

/**
 * Hosts where many unrelated businesses live under one registrable domain; for them the domain says
 * nothing, so the full host (or the host plus the first path segment) identifies the business instead.
 */
export const SHARED_HOSTING_DOMAINS: ReadonlySet<string> = new Set([
  'facebook.com', 'fb.com', 'linkedin.com', 'instagram.com', 'twitter.com', 'x.com', 'youtube.com',
  'google.com', 'goo.gl', 'wixsite.com', 'squarespace.com', 'wordpress.com', 'blogspot.com', 'weebly.com',
  'business.site', 'godaddysites.com', 'yelp.com', 'github.io', 'myshopify.com', 'webflow.io',
]);
