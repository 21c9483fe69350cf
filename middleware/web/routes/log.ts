// /log: the Integration Log — filters (run, object, level, code, record), counts grouped by code, message
// and suggestion per row, "Retry failed records", and /log.csv (csv-stringify, formula-injection safe).
import { stringify } from 'csv-stringify';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { formulaSafe } from '../csv-safe.ts';
import { flash } from '../flash.ts';
import { formBody } from '../forms.ts';
import { paginate } from '../pagination.ts';
import { createLogQueries, LOG_LEVELS, LOG_OBJECTS, type LogEntry, type LogFilter } from '../queries/log.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';

const PAGE_SIZE = 50;
const CSV_MAX_ROWS = 100_000;

const filterProperties = {
  run: Type.Optional(Type.String({ pattern: '^([0-9a-fA-F-]{36})?$' })),
  object: Type.Optional(Type.Enum(['', ...LOG_OBJECTS])),
  level: Type.Optional(Type.Enum(['', ...LOG_LEVELS])),
  code: Type.Optional(Type.String({ pattern: '^[A-Z0-9_]{0,64}$' })),
  record: Type.Optional(Type.String({ pattern: '^([0-9a-fA-F-]{36}|[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})?$' })),
};
const LogQuery = Type.Object({ ...filterProperties, page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }, { additionalProperties: false });
const CsvQuery = Type.Object(filterProperties, { additionalProperties: false });
const RetryBody = formBody(filterProperties);

const LEVEL_TONES: Record<string, string> = { error: 'error', warning: 'warning', info: 'info' };
const RECORD_PATHS: Record<string, string> = { organization: 'organizations', contact: 'contacts', deal: 'deals' };

/** Only non-empty filters: the query string and the database see the same thing. */
function cleanFilter(query: Record<string, unknown>): LogFilter {
  const filter: LogFilter = {};
  for (const key of ['run', 'object', 'level', 'code', 'record'] as const) {
    const value = query[key];
    if (typeof value === 'string' && value.trim() !== '') filter[key] = value.trim();
  }
  return filter;
}

function rowView(entry: LogEntry) {
  const recordPath = entry.object ? RECORD_PATHS[entry.object] : undefined;
  return { ...entry, tone: LEVEL_TONES[entry.level] ?? 'neutral', recordHref: entry.prmId && recordPath ? `/records/${recordPath}/${entry.prmId}` : null };
}

const CSV_COLUMNS = ['created_at', 'level', 'object', 'prm_id', 'sf_id', 'code', 'message', 'suggestion', 'run_id', 'details'];

export async function logRoutes(app: FastifyInstance, _services: ConsoleServices): Promise<void> {
  const log = createLogQueries(app.db);

  app.get('/log', { schema: { querystring: LogQuery } }, async (request, reply) => {
    const query = request.query as Record<string, unknown> & { page?: number };
    const filter = cleanFilter(query);
    const [total, groups, runs] = await Promise.all([log.count(filter), log.groups(filter), log.runs(50)]);
    const pagination = paginate('/log', { ...filter }, total, query.page ?? 1, PAGE_SIZE);
    const entries = (await log.page(filter, PAGE_SIZE, pagination.offset)).map(rowView);
    const filterQuery = new URLSearchParams(filter as Record<string, string>).toString();
    const withCode = (code: string) => `/log?${new URLSearchParams({ ...filter, code } as Record<string, string>).toString()}`;
    return renderPage(request, reply, 'log', { title: 'Integration Log', section: 'log' }, {
      filter,
      filtered: Object.keys(filter).length > 0,
      entries,
      pagination,
      groups: groups.map((group) => ({ ...group, tone: LEVEL_TONES[group.level] ?? 'neutral', href: withCode(group.code), active: group.code === filter.code })),
      runs: runs.map((run) => ({ ...run, selected: run.id === filter.run })),
      objects: LOG_OBJECTS.map((value) => ({ value, selected: value === filter.object })),
      levels: LOG_LEVELS.map((value) => ({ value, selected: value === filter.level })),
      csvHref: filterQuery ? `/log.csv?${filterQuery}` : '/log.csv',
    });
  });

  app.get('/log.csv', { schema: { querystring: CsvQuery } }, async (request, reply) => {
    const filter = cleanFilter(request.query as Record<string, unknown>);
    const csv = stringify({ header: true, columns: CSV_COLUMNS, cast: { date: (value) => value.toISOString() } });
    const rows = log.all(filter, CSV_MAX_ROWS);
    // Every cell passes formulaSafe, so a message like "=HYPERLINK(…)" stays text in a spreadsheet.
    void (async () => {
      try {
        for await (const batch of rows) {
          for (const entry of batch) {
            const cells = [entry.createdAt, entry.level, entry.object, entry.prmId, entry.sfId, entry.code, entry.message, entry.suggestion, entry.runId, entry.details].map(formulaSafe);
            if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
          }
        }
        csv.end();
      } catch (error) {
        csv.destroy(error as Error);
      }
    })();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="integration-log-${stamp}.csv"`).header('cache-control', 'no-store');
    return reply.send(csv);
  });

  app.post('/log/retry', { schema: { body: RetryBody } }, async (request, reply) => {
    const filter = cleanFilter(request.body as Record<string, unknown>);
    const { marked, withoutLink } = await log.retryFailed(filter);
    const tail = withoutLink > 0 ? ` ${withoutLink} error ${withoutLink === 1 ? 'entry names' : 'entries name'} no linked record (deals and run-level errors are retried by the next run itself).` : '';
    flash(request, marked > 0 ? 'success' : 'info', marked > 0 ? `${marked} ${marked === 1 ? 'record is' : 'records are'} marked for retry on the next run.${tail}` : `No linked record to retry.${tail}`);
    const back = new URLSearchParams(filter as Record<string, string>).toString();
    return reply.redirect(back ? `/log?${back}` : '/log', 303);
  });
}
