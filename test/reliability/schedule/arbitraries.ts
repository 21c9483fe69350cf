// fast-check generators for schedules. Values come from small pools so that both sides often touch the
// same field (conflicts) and sometimes pick the same value; emails are made unique at run time.
import fc from 'fast-check';
import type { Value } from '../model/fields.ts';
import type { Policy } from '../model/merge.ts';
import { describeSchedule, type EmailChoice, type FaultSpec, type FaultTarget, type Schedule, type Step } from './steps.ts';

const n = fc.integer({ min: 0, max: 5 });
const pick = fc.nat({ max: 7 });

const ORG_TEXT: Record<string, (i: number) => string> = {
  name: (i) => `Org ${i}`,
  website: (i) => `w${i}.example`,
  phone: (i) => `+1 555 010${i}`,
  billing_street: (i) => `${i} Main St`,
  billing_city: (i) => `City ${i}`,
  billing_state: (i) => `ST${i}`,
  billing_postal_code: (i) => `P${i}`,
  billing_country: (i) => `Country ${i}`,
};
const CONTACT_TEXT: Record<string, (i: number) => string> = {
  first_name: (i) => `First${i}`,
  last_name: (i) => `Last${i}`,
  phone: (i) => `+49 30 100${i}`,
  title: (i) => `Title ${i}`,
};
const REQUIRED = new Set(['name', 'last_name']);
const STATUSES = ['partner:active', 'partner:prospective', 'partner:inactive', 'distributor:active', 'distributor:prospective', 'distributor:inactive'] as const;
export const PICKLIST = ['Reseller, Active', 'Reseller, Prospective', 'Reseller, Inactive', 'Distributor, Active', 'Distributor, Prospective', 'Distributor, Inactive'];

function textEdit(pool: Record<string, (i: number) => string>): fc.Arbitrary<{ field: string; value: Value }> {
  return fc.constantFrom(...Object.keys(pool)).chain((field) =>
    (REQUIRED.has(field) ? n.map((i) => pool[field]!(i) as Value) : fc.option(n.map((i) => pool[field]!(i)), { nil: null, freq: 6 })).map((value) => ({ field, value })),
  );
}

const orgEdit = fc.oneof(
  { arbitrary: textEdit(ORG_TEXT), weight: 5 },
  { arbitrary: fc.constantFrom(...STATUSES).map((value) => ({ field: 'partner_status', value: value as Value })), weight: 2 },
);
const contactEdit = fc.oneof(
  { arbitrary: textEdit(CONTACT_TEXT), weight: 5 },
  { arbitrary: fc.constant({ field: 'email', value: null as Value }), weight: 1 },
);

function someValues(pool: Record<string, (i: number) => string>, required: string[]): fc.Arbitrary<Record<string, Value>> {
  const optional = Object.keys(pool).filter((k) => !required.includes(k));
  return fc.record({
    required: fc.tuple(...required.map(() => n)),
    optional: fc.subarray(optional, { maxLength: 3 }).chain((keys) => fc.tuple(...keys.map((k) => n.map((i) => [k, pool[k]!(i)] as const)))),
  }).map(({ required: req, optional: opt }) => ({
    ...Object.fromEntries(required.map((k, i) => [k, pool[k]!(req[i] ?? 0)])),
    ...Object.fromEntries(opt),
  }));
}

const orgValues = someValues(ORG_TEXT, ['name']);
const contactValues = someValues(CONTACT_TEXT, ['last_name']);
const email = fc.constantFrom<EmailChoice>('fresh', 'fresh', 'mixed-case', 'none');

export const createOrg: fc.Arbitrary<Step> = fc
  .record({ kind: fc.constantFrom('partner' as const, 'distributor' as const), status: fc.constantFrom('active' as const, 'prospective' as const, 'inactive' as const), values: orgValues })
  .map((s) => ({ op: 'prm.createOrg' as const, ...s }));
export const createContact: fc.Arbitrary<Step> = fc.record({ org: pick, values: contactValues }).map((s) => ({ op: 'prm.createContact' as const, ...s }));
export const createAccount: fc.Arbitrary<Step> = fc
  .record({
    flagged: fc.constantFrom(true, true, true, false),
    status: fc.option(fc.constantFrom(...PICKLIST), { nil: null, freq: 8 }),
    values: orgValues,
    contacts: fc.array(fc.record({ values: contactValues, email }), { maxLength: 2 }),
  })
  .map((s) => ({ op: 'sf.createAccount' as const, ...s }));

export const userStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: createOrg, weight: 2 },
  { arbitrary: createContact, weight: 2 },
  { arbitrary: fc.tuple(pick, orgEdit).map(([org, e]) => ({ op: 'prm.updateOrg' as const, org, ...e })), weight: 5 },
  { arbitrary: fc.tuple(pick, contactEdit).map(([contact, e]) => ({ op: 'prm.updateContact' as const, contact, ...e })), weight: 4 },
  { arbitrary: pick.map((org) => ({ op: 'prm.deleteOrg' as const, org })), weight: 1 },
  { arbitrary: pick.map((contact) => ({ op: 'prm.deleteContact' as const, contact })), weight: 1 },
  { arbitrary: pick.map((contact) => ({ op: 'prm.promote' as const, contact })), weight: 1 },
  { arbitrary: fc.tuple(pick, orgEdit).map(([org, e]) => ({ op: 'sf.updateAccount' as const, org, ...e })), weight: 5 },
  { arbitrary: fc.tuple(fc.constantFrom('sf.deleteAccount' as const, 'sf.undeleteAccount' as const, 'sf.flag' as const, 'sf.unflag' as const), pick).map(([op, org]) => ({ op, org })), weight: 3 },
  { arbitrary: createAccount, weight: 2 },
  { arbitrary: fc.record({ org: pick, values: contactValues, email: fc.constantFrom<EmailChoice>('fresh', 'mixed-case', 'none', 'prm-sibling') }).map((s) => ({ op: 'sf.createContact' as const, ...s })), weight: 2 },
  { arbitrary: fc.tuple(pick, contactEdit).map(([contact, e]) => ({ op: 'sf.updateContact' as const, contact, ...e })), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom('sf.deleteContact' as const, 'sf.undeleteContact' as const), pick).map(([op, contact]) => ({ op, contact })), weight: 1 },
);

const target = fc.constantFrom<FaultTarget>('query', 'collections.upsert', 'collections.update', 'bulk2', 'any');
const fault: fc.Arbitrary<FaultSpec> = fc.oneof(
  { arbitrary: fc.record({ target, ms: fc.integer({ min: 5, max: 40 }) }).map((f) => ({ kind: 'latency' as const, ...f })), weight: 1 },
  {
    arbitrary: fc
      .record({ status: fc.constantFrom(500 as const, 503 as const, 429 as const), target, times: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 2 }), weight: 4 }, { arbitrary: fc.constant(8), weight: 1 }), after: fc.nat({ max: 3 }) })
      .map((f) => ({ kind: 'http' as const, ...f })),
    weight: 3,
  },
  { arbitrary: fc.record({ target, times: fc.integer({ min: 1, max: 2 }), after: fc.nat({ max: 3 }) }).map((f) => ({ kind: 'drop' as const, ...f })), weight: 2 },
  { arbitrary: fc.nat({ max: 4 }).map((after) => ({ kind: 'expireSession' as const, after })), weight: 2 },
  { arbitrary: fc.record({ target, after: fc.nat({ max: 3 }) }).map((f) => ({ kind: 'apiLimit' as const, ...f })), weight: 1 },
  {
    arbitrary: fc
      .record({
        object: fc.constantFrom('Account' as const, 'Contact' as const, 'any' as const),
        api: fc.constantFrom('collections' as const, 'bulk2' as const, 'any' as const),
        every: fc.integer({ min: 1, max: 3 }),
        times: fc.integer({ min: 1, max: 4 }),
        code: fc.constantFrom('UNABLE_TO_LOCK_ROW' as const, 'FIELD_CUSTOM_VALIDATION_EXCEPTION' as const),
      })
      .map((f) => ({ kind: 'recordFailures' as const, ...f })),
    weight: 4,
  },
);

const cycle: fc.Arbitrary<Step> = fc
  .oneof({ arbitrary: fc.constant([] as FaultSpec[]), weight: 2 }, { arbitrary: fc.array(fault, { minLength: 1, maxLength: 2 }), weight: 3 })
  .map((faults) => ({ op: 'cycle' as const, faults }));

/** A few records on both sides and a first cycle, so that the random steps after it have targets. */
const setup: fc.Arbitrary<Step[]> = fc
  .record({
    orgs: fc.array(createOrg, { minLength: 1, maxLength: 3 }),
    contacts: fc.array(createContact, { maxLength: 3 }),
    accounts: fc.array(createAccount, { maxLength: 2 }),
    first: cycle,
  })
  .map(({ orgs, contacts, accounts, first }) => [...orgs, ...contacts, ...accounts, first]);

export interface ScheduleShape {
  policyKind: Policy['kind'];
  maxSteps: number;
}

/** A schedule: settings drawn per schedule, then user steps interleaved with (faulty) sync cycles. */
export function scheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<Schedule> {
  return fc
    .record({
      master: fc.constantFrom<'salesforce' | 'prm'>('salesforce', 'prm'),
      bulkThreshold: fc.constantFrom(2000, 2),
      overlapMs: fc.constantFrom(0, 0, 60_000),
      clockOffsetMs: fc.constantFrom(0, 3_600_000),
      setup,
      steps: fc.array(fc.oneof({ arbitrary: userStep, weight: 3 }, { arbitrary: cycle, weight: 1 }), { minLength: 1, maxLength: shape.maxSteps }),
    })
    .map(({ master, setup: first, steps, ...rest }) => {
      const schedule: Schedule = { policy: { kind: shape.policyKind, master }, steps: [...first, ...steps], ...rest };
      // Printed readably in fast-check's counterexample report.
      Object.defineProperty(schedule, fc.toStringMethod, { value: () => `\n${describeSchedule(schedule)}\n`, enumerable: false });
      return schedule;
    });
}
