// All settings checks in order: shape, internal rules, then (when describes are given) the Salesforce schema.
import type { Describes } from './describe.ts';
import type { IntegrationSettings } from './model.ts';
import type { SettingsValidation } from './problems.ts';
import { checkSettingsRules, checkSettingsShape } from './validate-rules.ts';
import { validateSettingsAgainstSchema } from './validate-schema.ts';

export interface SettingsCheck extends SettingsValidation {
  /** The settings, typed, when the shape was valid. */
  settings?: IntegrationSettings;
}

export function validateSettings(value: unknown, describes: Describes | null): SettingsCheck {
  const shape = checkSettingsShape(value);
  if (!shape.settings) return { problems: shape.problems, warnings: [] };
  const rules = checkSettingsRules(shape.settings);
  if (!describes) return { settings: shape.settings, problems: rules, warnings: [] };
  const schema = validateSettingsAgainstSchema(shape.settings, describes);
  return { settings: shape.settings, problems: [...rules, ...schema.problems], warnings: schema.warnings };
}

export { validateSettingsAgainstSchema, checkSettingsRules, checkSettingsShape };
