// The deal import plan resolved from the saved settings (the deals section and its mappings).
import type { IntegrationSettings } from '../settings/model.ts';
import { DEAL_COLUMNS, defaultDealImportPlan, type DealFieldMapping, type DealImportPlan } from './plan.ts';

/**
 * The deal import plan from the settings: the deals section's flags and its mappings that bring values
 * into the PRM. (Distributor options are not settings yet; the plan's defaults apply.)
 */
export function dealPlanFromSettings(settings: IntegrationSettings, publicUrl: string): DealImportPlan {
  const mappings: DealFieldMapping[] = settings.deals.mappings
    .filter((mapping) => mapping.direction !== 'to_salesforce')
    .filter((mapping) => (DEAL_COLUMNS as readonly string[]).includes(mapping.prmField) || mapping.prmField.startsWith('custom.'))
    .map((mapping) => ({ prmField: mapping.prmField as DealFieldMapping['prmField'], sfField: mapping.sfField, ...(mapping.valueMap ? { valueMap: mapping.valueMap } : {}) }));
  return defaultDealImportPlan({
    enabled: settings.enabled && settings.deals.direction !== 'disabled',
    syncFlagField: settings.deals.syncFlagField,
    exportFlagField: settings.deals.exportFlagField,
    mappings,
    publicUrl,
  });
}
