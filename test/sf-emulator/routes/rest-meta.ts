// REST resources about the API and the schema: `/services/data` (versions), `/services/data/vNN.N`
// (resources), `sobjects` (global describe), `sobjects/T` and `sobjects/T/describe`, and `limits`.
import type { EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import { notFound } from '../http/replies.ts';
import { versionOf, type RouteContext } from './context.ts';

const SEASONS = ['Winter', 'Spring', 'Summer'];

/** `62.0` → `Winter '25`: three releases a year since v20.0 (Winter '11). */
export function releaseLabel(major: number): string {
  const index = major - 20;
  return `${SEASONS[((index % 3) + 3) % 3]} '${String(11 + Math.floor(index / 3)).padStart(2, '0')}`;
}

function versions(ctx: RouteContext): EmulatorReply {
  const latest = Number(ctx.latestVersion.split('.')[0]);
  const list = [];
  for (let major = 31; major <= latest; major++) list.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
  return { status: 200, body: list };
}

const RESOURCE_NAMES = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'contact-tracing', 'jsonxform', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'identity', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'event', 'serviceTemplates', 'recent', 'connect', 'licensing', 'limits', 'process', 'async-queries', 'query', 'jobs', 'match', 'localizedvalue', 'mobile', 'emailConnect', 'consent', 'tokenizer', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support'];

function resources(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const version = versionOf(request);
  const body: Record<string, string> = {};
  for (const name of RESOURCE_NAMES) body[name] = `/services/data/v${version}/${name}`;
  body.identity = `${ctx.baseUrl()}/id/${ctx.org.orgId}/${request.userId ?? ''}`;
  return { status: 200, body };
}

function globalDescribe(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const version = versionOf(request);
  const sobjects = ctx.org.store.tables.map((t) => t.schema).sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.globalEntry(version));
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects } };
}

function basicInfo(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  return { status: 200, body: { objectDescribe: schema.globalEntry(versionOf(request)), recentItems: [] } };
}

function describe(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const body = ctx.org.describe(request.params.object ?? '', versionOf(request));
  return body ? { status: 200, body } : notFound();
}

function limits(ctx: RouteContext): EmulatorReply {
  const fixed = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    status: 200,
    body: {
      ActiveScratchOrgs: fixed(0), AnalyticsExternalDataSizeMB: fixed(40960), ConcurrentAsyncGetReportInstances: fixed(200), ConcurrentEinsteinDataInsightsStoryCreation: fixed(5),
      ConcurrentEinsteinDiscoveryStoryCreation: fixed(2), ConcurrentSyncReportRuns: fixed(20), DailyAnalyticsDataflowJobExecutions: fixed(60),
      DailyApiRequests: fixed(ctx.usage.max, Math.max(0, ctx.usage.max - ctx.usage.used)), DailyAsyncApexExecutions: fixed(250000),
      DailyAsyncApexTests: fixed(500), DailyBulkApiBatches: fixed(15000), DailyBulkV2QueryFileStorageMB: fixed(976562), DailyBulkV2QueryJobs: fixed(10000),
      DailyDurableGenericStreamingApiEvents: fixed(10000), DailyDurableStreamingApiEvents: fixed(10000), DailyEinsteinDataInsightsStoryCreation: fixed(1000),
      DailyEinsteinDiscoveryPredictAPICalls: fixed(50000), DailyEinsteinDiscoveryPredictionsByCDC: fixed(500000), DailyEinsteinDiscoveryStoryCreation: fixed(100),
      DailyGenericStreamingApiEvents: fixed(10000), DailyScratchOrgs: fixed(0), DailyStandardVolumePlatformEvents: fixed(10000), DailyStreamingApiEvents: fixed(10000),
      DailyWorkflowEmails: fixed(2000), DataStorageMB: fixed(5120, 4800), DurableStreamingApiConcurrentClients: fixed(20), FileStorageMB: fixed(20480, 20400),
      HourlyAsyncReportRuns: fixed(1200), HourlyDashboardRefreshes: fixed(200), HourlyDashboardResults: fixed(5000), HourlyDashboardStatuses: fixed(999999999),
      HourlyLongTermIdMapping: fixed(100000), HourlyManagedContentPublicRequests: fixed(50000), HourlyODataCallout: fixed(10000), HourlyPublishedPlatformEvents: fixed(50000),
      HourlyPublishedStandardVolumePlatformEvents: fixed(100000), HourlyShortTermIdMapping: fixed(100000), HourlySyncReportRuns: fixed(500), HourlyTimeBasedWorkflow: fixed(1000),
      MassEmail: fixed(5000), MonthlyPlatformEventsUsageEntitlement: fixed(0), Package2VersionCreates: fixed(0), Package2VersionCreatesWithoutValidation: fixed(0),
      PermissionSets: fixed(1500, 1490), PrivateConnectOutboundCalloutHourlyLimitMB: fixed(0), PublishCallbackUsageInApex: fixed(5000000), SingleEmail: fixed(5000),
      StreamingApiConcurrentClients: fixed(20),
    },
  };
}

export function restMetaRoutes(ctx: RouteContext): RouteModule {
  const base = '/services/data/:version';
  return {
    name: 'rest',
    routes: [
      { method: 'GET', pattern: '/services/data', handler: () => versions(ctx), auth: false, label: 'versions' },
      { method: 'GET', pattern: base, handler: (r) => resources(ctx, r), label: 'resources' },
      { method: 'GET', pattern: `${base}/sobjects`, handler: (r) => globalDescribe(ctx, r), label: 'describe.global' },
      { method: 'GET', pattern: `${base}/sobjects/:object`, handler: (r) => basicInfo(ctx, r), label: 'sobject.info' },
      { method: 'GET', pattern: `${base}/sobjects/:object/describe`, handler: (r) => describe(ctx, r), label: 'describe' },
      { method: 'GET', pattern: `${base}/limits`, handler: () => limits(ctx), label: 'limits' },
    ],
  };
}
