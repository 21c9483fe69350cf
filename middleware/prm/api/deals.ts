// /api/v1/deals: deal registrations. The opportunity importer writes them through the repository; the
// API reads them, and lets the portal register, change and withdraw deals of its own.
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DealRegistrationRow } from '../../db/tables.ts';
import { MAX_LENGTH } from '../limits.ts';
import { dealAmount } from '../repositories/deals.ts';
import { toChangeSeq } from '../repositories/shared.ts';
import {
  ChangeQuery,
  ChangeSeq,
  CustomFieldsInput,
  CustomFieldsOutput,
  ListReply,
  PageQuery,
  RequiredText,
  Timestamps,
  Uuid,
  Version,
  errorReplies,
  iso,
} from './schemas.ts';
import { registerRecordRoutes } from './record-routes.ts';

const nullableUuid = Type.Union([Uuid(), Type.Null()]);
const Amount = Type.Number({ minimum: -1e15, maximum: 1e15, description: 'Stored with two decimals.' });
const CloseDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const Deal = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    owner_contact_id: Uuid(),
    distributor_organization_id: nullableUuid,
    distributor_contact_id: nullableUuid,
    name: Type.String(),
    stage: Type.String(),
    amount: Type.Union([Type.Number(), Type.Null()]),
    close_date: Type.Union([CloseDate, Type.Null()]),
    sf_opportunity_id: Type.Union([Type.String(), Type.Null()]),
    custom: CustomFieldsOutput,
    change_seq: ChangeSeq,
    ...Timestamps,
  },
  { title: 'Deal registration' },
);

const editable = {
  distributor_organization_id: Type.Optional(nullableUuid),
  distributor_contact_id: Type.Optional(nullableUuid),
  amount: Type.Optional(Type.Union([Amount, Type.Null()])),
  close_date: Type.Optional(Type.Union([CloseDate, Type.Null()])),
  custom: Type.Optional(CustomFieldsInput),
};

const CreateBody = Type.Object(
  {
    organization_id: Uuid(),
    owner_contact_id: Uuid('The user who owns the deal.'),
    name: RequiredText(MAX_LENGTH.name),
    stage: RequiredText(MAX_LENGTH.stage),
    ...editable,
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    version: Type.Optional(Version),
    organization_id: Type.Optional(Uuid()),
    owner_contact_id: Type.Optional(Uuid()),
    name: Type.Optional(RequiredText(MAX_LENGTH.name)),
    stage: Type.Optional(RequiredText(MAX_LENGTH.stage)),
    ...editable,
  },
  { additionalProperties: false, minProperties: 1 },
);

const ListQuery = Type.Object(
  { organization_id: Type.Optional(Uuid()), stage: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_LENGTH.stage })), ...ChangeQuery, ...PageQuery },
  { additionalProperties: false },
);

export function dealDto(row: DealRegistrationRow): Static<typeof Deal> {
  return {
    id: row.id,
    organization_id: row.organization_id,
    owner_contact_id: row.owner_contact_id,
    distributor_organization_id: row.distributor_organization_id,
    distributor_contact_id: row.distributor_contact_id,
    name: row.name,
    stage: row.stage,
    amount: dealAmount(row),
    close_date: row.close_date,
    sf_opportunity_id: row.sf_opportunity_id,
    custom: row.custom,
    change_seq: toChangeSeq(row.change_seq),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

export const dealRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['deals'];
  const repository = app.prm.deals;

  app.get('/deals', {
    schema: { tags, summary: 'List deal registrations', querystring: ListQuery, response: { 200: ListReply(Deal), ...errorReplies(400) } },
    handler: async (request) => {
      const { organization_id, stage, updated_since, include_deleted, limit, cursor } = request.query;
      const page = await repository.list({ organizationId: organization_id, stage, updatedSince: updated_since, includeDeleted: include_deleted, limit, cursor });
      return { data: page.items.map(dealDto), next_cursor: page.nextCursor };
    },
  });

  registerRecordRoutes(app, {
    path: '/deals',
    tags,
    record: Deal,
    toDto: dealDto,
    createBody: CreateBody,
    updateBody: UpdateBody,
    repository,
    createCanConflict: true,
    summaries: { create: 'Register a deal', read: 'Read a deal registration', update: 'Change a deal registration', delete: 'Soft-delete a deal registration' },
  });
};
