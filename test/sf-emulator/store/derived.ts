// Fields Salesforce computes on save: compound names, and the opportunity fields its stage drives.

type Values = Record<string, unknown>;

/** Opportunity stages of a standard org: default probability, closed/won flags, forecast category. */
const STAGES: Readonly<Record<string, { probability: number; closed: boolean; won: boolean; forecast: string }>> = {
  Prospecting: { probability: 10, closed: false, won: false, forecast: 'Pipeline' },
  Qualification: { probability: 10, closed: false, won: false, forecast: 'Pipeline' },
  'Needs Analysis': { probability: 20, closed: false, won: false, forecast: 'Pipeline' },
  'Value Proposition': { probability: 50, closed: false, won: false, forecast: 'Pipeline' },
  'Id. Decision Makers': { probability: 60, closed: false, won: false, forecast: 'Pipeline' },
  'Perception Analysis': { probability: 70, closed: false, won: false, forecast: 'Pipeline' },
  'Proposal/Price Quote': { probability: 75, closed: false, won: false, forecast: 'Pipeline' },
  'Negotiation/Review': { probability: 90, closed: false, won: false, forecast: 'Pipeline' },
  'Closed Won': { probability: 100, closed: true, won: true, forecast: 'Closed' },
  'Closed Lost': { probability: 0, closed: true, won: false, forecast: 'Omitted' },
};

const FORECAST_LABELS: Readonly<Record<string, string>> = { Pipeline: 'Pipeline', Closed: 'Closed', Omitted: 'Omitted', BestCase: 'Best Case', Forecast: 'Commit' };

function personName(row: Values): string | null {
  const parts = [row.FirstName, row.LastName].filter((p) => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * Completes `row` (the merged record after a write) in place. `changed` is what the write carried, so
 * an explicit Probability survives a stage change, as in Salesforce.
 */
export function applyDerivedFields(objectName: string, row: Values, changed: Values): void {
  if (objectName === 'Contact' || objectName === 'User') {
    row.Name = personName(row);
    return;
  }
  if (objectName !== 'Opportunity') return;
  const stage = STAGES[String(row.StageName)];
  if (stage) {
    row.IsClosed = stage.closed;
    row.IsWon = stage.won;
    if ('StageName' in changed) {
      if (!('Probability' in changed)) row.Probability = stage.probability;
      if (!('ForecastCategoryName' in changed)) row.ForecastCategory = stage.forecast;
    }
  }
  if ('ForecastCategoryName' in changed && typeof row.ForecastCategoryName === 'string') {
    const entry = Object.entries(FORECAST_LABELS).find(([, label]) => label === row.ForecastCategoryName);
    if (entry) row.ForecastCategory = entry[0];
  }
  if (typeof row.ForecastCategory === 'string') row.ForecastCategoryName = FORECAST_LABELS[row.ForecastCategory] ?? row.ForecastCategory;
  row.ExpectedRevenue = typeof row.Amount === 'number' && typeof row.Probability === 'number' ? Math.round(row.Amount * row.Probability) / 100 : null;
  if (typeof row.CloseDate === 'string') {
    const year = Number(row.CloseDate.slice(0, 4));
    const quarter = Math.floor((Number(row.CloseDate.slice(5, 7)) - 1) / 3) + 1;
    row.FiscalYear = year;
    row.FiscalQuarter = quarter;
    row.Fiscal = `${year} ${quarter}`;
  }
}
