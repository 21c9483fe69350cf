// Salesforce describe results as the validator reads them (the JSON of `GET sobjects/<T>/describe`; only
// the keys used are typed), and where they come from: a DescribeSource, implemented over jsforce.
import type { Connection } from 'jsforce';

export interface DescribePicklistValue {
  value: string;
  label?: string | null;
  active: boolean;
  defaultValue?: boolean;
}

export interface DescribeField {
  name: string;
  type: string;
  label?: string;
  length?: number;
  createable?: boolean;
  updateable?: boolean;
  nillable?: boolean;
  defaultedOnCreate?: boolean;
  calculated?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  unique?: boolean;
  picklistValues?: DescribePicklistValue[];
  restrictedPicklist?: boolean;
}

export interface DescribeRecordType {
  name: string;
  developerName?: string;
  active?: boolean;
  available?: boolean;
  master?: boolean;
  recordTypeId?: string;
}

export interface SObjectDescribe {
  name: string;
  fields: DescribeField[];
  recordTypeInfos?: DescribeRecordType[];
}

/** Describes by object name, e.g. { Account: …, Contact: …, Opportunity: … }. */
export type Describes = Partial<Record<string, SObjectDescribe>>;

export interface DescribeSource {
  describe(objectName: string): Promise<SObjectDescribe>;
}

/** Live describes through jsforce: `conn.sobject(name).describe()` (not jsforce's cached describe$). */
export function jsforceDescribeSource(conn: Connection): DescribeSource {
  return {
    async describe(objectName) {
      return (await conn.sobject(objectName).describe()) as unknown as SObjectDescribe;
    },
  };
}

/** Fetches each object's describe once. */
export async function fetchDescribes(source: DescribeSource, objectNames: readonly string[]): Promise<Describes> {
  const describes: Describes = {};
  for (const name of new Set(objectNames)) describes[name] = await source.describe(name);
  return describes;
}
