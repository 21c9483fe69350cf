import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { accountVariant, createRandom, generatePrmData } from '../../scripts/seed/prm-generator.ts';

describe('PRM seed generator', () => {
  test('the same seed gives the same data; another seed gives other data', () => {
    const a = generatePrmData({ size: 50, seed: 'alpha' });
    assert.deepEqual(generatePrmData({ size: 50, seed: 'alpha' }), a);
    const b = generatePrmData({ size: 50, seed: 'beta' });
    assert.notDeepEqual(b.organizations.map((o) => o.name), a.organizations.map((o) => o.name));
  });

  test('realistic shape: partners and distributors with legal suffixes, addresses, phones, websites; contacts and users', () => {
    const data = generatePrmData({ size: 1000, seed: 7 });
    assert.equal(data.organizations.length, 1000);
    const distributors = data.organizations.filter((o) => o.kind === 'distributor').length;
    assert.ok(distributors > 80 && distributors < 230, `distributors: ${distributors}`);
    assert.equal(new Set(data.organizations.map((o) => o.name)).size, 1000, 'names are unique');
    assert.equal(new Set(data.organizations.map((o) => o.id)).size, 1000);
    const suffixed = data.organizations.filter((o) => /(Inc\.?|LLC|L\.L\.C\.|Corp\.?|Corporation|Co\.|Ltd\.?|Limited|PLC|LLP|GmbH|AG|KG|UG|SARL|SAS|S\.A\.|SA|B\.V\.|BV|N\.V\.|ULC)$/.test(o.name));
    assert.equal(suffixed.length, 1000, 'every name ends with a legal suffix');
    assert.ok(data.organizations.every((o) => o.billing_city && o.billing_country && o.billing_postal_code));
    assert.ok(data.organizations.filter((o) => o.website).every((o) => /^(https:\/\/)?www\.[a-z0-9]+\.(com|co\.uk|de|fr|nl|ca)$/.test(o.website as string)));
    assert.ok(data.organizations.filter((o) => o.phone).every((o) => /^\+\d[\d ()-]+$/.test(o.phone as string)));
    assert.ok(new Set(data.organizations.map((o) => o.billing_country)).size >= 5);
    for (const status of ['active', 'prospective', 'inactive']) assert.ok(data.organizations.some((o) => o.status === status));

    assert.ok(data.contacts.length > 2000 && data.contacts.length < 4000);
    const users = data.contacts.filter((c) => c.is_user);
    assert.ok(users.length > 1000);
    assert.ok(users.every((c) => c.email), 'users have emails');
    assert.ok(data.contacts.some((c) => !c.email), 'some contacts have no email, as in real data');
    const perOrganization = new Map<string, Set<string>>();
    for (const contact of data.contacts.filter((c) => c.email)) {
      const emails = perOrganization.get(contact.organization_id) ?? new Set();
      assert.ok(!emails.has(contact.email as string), 'emails unique per organization');
      emails.add(contact.email as string);
      perOrganization.set(contact.organization_id, emails);
    }
    assert.ok(data.contacts.every((c) => /^[a-z0-9.]+@[a-z0-9.]+$/.test(c.email ?? 'x@y')), 'emails are plain ASCII and lower case');
  });

  test('groups grant deal registration, and members are users of the group kind', () => {
    const data = generatePrmData({ size: 200, seed: 3 });
    assert.ok(data.groups.some((g) => g.kind === 'partner' && g.modules.includes('deal_registration')));
    assert.ok(data.groups.some((g) => g.kind === 'distributor' && g.modules.includes('deal_registration')));
    const contacts = new Map(data.contacts.map((c) => [c.id, c]));
    const organizations = new Map(data.organizations.map((o) => [o.id, o]));
    const groups = new Map(data.groups.map((g) => [g.id, g]));
    assert.ok(data.memberships.length > 100);
    for (const membership of data.memberships) {
      const contact = contacts.get(membership.contact_id);
      assert.ok(contact?.is_user);
      assert.equal(organizations.get(contact.organization_id)?.kind, groups.get(membership.group_id)?.kind);
    }
  });

  test('account variants differ the way CRM copies do, deterministically', () => {
    const data = generatePrmData({ size: 300, seed: 11 });
    const variantsOf = () => {
      const random = createRandom('variants');
      return data.organizations.map((o) => accountVariant(o, random));
    };
    const variants = variantsOf();
    assert.deepEqual(variantsOf(), variants);
    const changedNames = variants.filter((v, i) => v.Name !== data.organizations[i]?.name).length;
    assert.ok(changedNames > 100 && changedNames < 300, `changed names: ${changedNames}`);
    assert.ok(variants.some((v, i) => v.Name === data.organizations[i]?.name), 'some stay identical');
    assert.ok(variants.some((v) => / and /.test(v.Name)), '& spelled out');
    assert.ok(variants.some((v, i) => data.organizations[i]?.name.startsWith(v.Name) && v.Name !== data.organizations[i]?.name), 'suffix dropped');
  });

  test('rejects a negative or fractional size', () => {
    assert.throws(() => generatePrmData({ size: -1 }), /size must be a whole number/);
    assert.throws(() => generatePrmData({ size: 1.5 }), /size must be a whole number/);
    assert.deepEqual(generatePrmData({ size: 0 }).organizations, []);
  });
});
