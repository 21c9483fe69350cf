// The bad-input catalogue (issue 10): over-long, malformed, mis-cased, hostile and unstorable inputs at
// every door of the product — the PRM REST API, the admin console's forms, the settings validator, the CSV
// export, and Salesforce data arriving through a sync cycle or the deal import. Each case names its input
// and its expected outcome (a clear refusal, or the value stored exactly); each also proves that nothing
// already stored was lost or changed, and after each group the process still answers /healthz and /readyz.
// The case tables live in ./bad-inputs/, one module per door.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { apiGroup } from './bad-inputs/api-cases.ts';
import { consoleGroup } from './bad-inputs/console-cases.ts';
import { csvGroup } from './bad-inputs/csv-cases.ts';
import { dealGroup } from './bad-inputs/deal-cases.ts';
import { settingsGroup } from './bad-inputs/settings-cases.ts';
import { syncGroup } from './bad-inputs/sync-cases.ts';
import { assertHealthy, erase, type AnyGroup } from './bad-inputs/catalogue.ts';
import { Figures } from './profile.ts';

const GROUPS: readonly AnyGroup[] = [erase(apiGroup), erase(consoleGroup), erase(settingsGroup), erase(csvGroup), erase(syncGroup), erase(dealGroup)];

const MINIMUM_CASES = 60;

// Cases that held (for the soak summary); written once every group has run.
const figures = new Figures('bad-inputs');
after(() => figures.write());

test(`the catalogue holds at least ${MINIMUM_CASES} cases (${databaseLabel()})`, () => {
  const counts = GROUPS.map((group) => `${group.area}: ${group.cases.length}`);
  const total = GROUPS.reduce((sum, group) => sum + group.cases.length, 0);
  assert.ok(total >= MINIMUM_CASES, `only ${total} cases (${counts.join(', ')})`);
  const names = GROUPS.flatMap((group) => group.cases.map((c) => `${group.area} / ${c.name}`));
  assert.equal(new Set(names).size, names.length, 'case names are unique');
});

for (const group of GROUPS) {
  describe(group.area, () => {
    let world: unknown;
    before(async () => {
      world = await group.open();
    });
    after(() => group.close(world));
    for (const testCase of group.cases)
      test(testCase.name, async () => {
        await group.run(world, testCase);
        figures.add('badInputsPassed');
        figures.add(`badInputs.${group.area}`);
      });
    test('afterwards the process still answers /healthz and /readyz', () => assertHealthy(group.app(world)));
  });
}
