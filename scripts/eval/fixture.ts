// The committed synthetic partner data set under test/fixtures/matching/: written once from a fixed seed so
// that the quality gate does not depend on generator changes, regenerated with `--write-fixture`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { MATCH_FEATURES } from '../../middleware/matching/types.ts';
import { loadCsvDataset, type EvaluationDataset } from './dataset.ts';
import { generatePartnerDataset } from './synthetic-partners.ts';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FODORS_ZAGATS_DIRECTORY = path.resolve(REPOSITORY_ROOT, '../shared/data/fodors-zagats');
export const PARTNER_FIXTURE_DIRECTORY = path.join(REPOSITORY_ROOT, 'test/fixtures/matching');
export const PARTNER_FIXTURE = { companies: 800, seed: 7 } as const;

const COLUMNS = { id: 'id', name: 'name', street: 'street', city: 'city', postalCode: 'postal_code', phone: 'phone', website: 'website' } as const;
const files = (directory: string) => ({
  left: path.join(directory, 'partners-prm.csv'),
  right: path.join(directory, 'partners-salesforce.csv'),
  truth: path.join(directory, 'partners-truth.csv'),
});

export function writePartnerFixture(directory = PARTNER_FIXTURE_DIRECTORY): EvaluationDataset {
  const dataset = generatePartnerDataset(PARTNER_FIXTURE);
  const { left, right, truth } = files(directory);
  mkdirSync(directory, { recursive: true });
  const header = Object.values(COLUMNS);
  const rows = (records: EvaluationDataset['left']) => records.map((record) => [record.id, ...MATCH_FEATURES.map((feature) => record[feature] ?? '')]);
  writeFileSync(left, stringify(rows(dataset.left), { header: true, columns: header }));
  writeFileSync(right, stringify(rows(dataset.right), { header: true, columns: header }));
  writeFileSync(truth, stringify(dataset.truth.map((pair) => [...pair]), { header: true, columns: ['prm_id', 'salesforce_id'] }));
  return dataset;
}

export function loadPartnerFixture(directory = PARTNER_FIXTURE_DIRECTORY): EvaluationDataset {
  const { id: _id, ...map } = COLUMNS;
  return loadCsvDataset({ label: 'synthetic-partners', ...files(directory), map });
}
