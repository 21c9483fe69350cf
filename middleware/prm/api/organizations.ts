// /api/v1/organizations: partners and distributors.
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrganizationRow } from '../../db/tables.ts';
import { MAX_LENGTH } from '../limits.ts';
import { toChangeSeq } from '../repositories/shared.ts';
import {
  ChangeQuery,
  ChangeSeq,
  CustomFieldsInput,
  CustomFieldsOutput,
  ListReply,
  OptionalText,
  OrganizationKind,
  OrganizationStatus,
  PageQuery,
  RequiredText,
  Timestamps,
  Uuid,
  Version,
  errorReplies,
  iso,
} from './schemas.ts';
import { registerRecordRoutes } from './record-routes.ts';

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const Organization = Type.Object(
  {
    id: Uuid(),
    kind: OrganizationKind,
    status: OrganizationStatus,
    name: Type.String(),
    website: nullableText,
    phone: nullableText,
    billing_street: nullableText,
    billing_city: nullableText,
    billing_state: nullableText,
    billing_postal_code: nullableText,
    billing_country: nullableText,
    custom: CustomFieldsOutput,
    change_seq: ChangeSeq,
    ...Timestamps,
  },
  { title: 'Organization' },
);

const editable = {
  website: OptionalText(MAX_LENGTH.website),
  phone: OptionalText(MAX_LENGTH.phone),
  billing_street: OptionalText(MAX_LENGTH.billing_street),
  billing_city: OptionalText(MAX_LENGTH.billing_city),
  billing_state: OptionalText(MAX_LENGTH.billing_state),
  billing_postal_code: OptionalText(MAX_LENGTH.billing_postal_code),
  billing_country: OptionalText(MAX_LENGTH.billing_country),
  custom: Type.Optional(CustomFieldsInput),
};

const CreateBody = Type.Object(
  {
    kind: OrganizationKind,
    status: Type.Optional(OrganizationStatus),
    name: RequiredText(MAX_LENGTH.name),
    ...editable,
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    version: Type.Optional(Version),
    kind: Type.Optional(OrganizationKind),
    status: Type.Optional(OrganizationStatus),
    name: Type.Optional(RequiredText(MAX_LENGTH.name)),
    ...editable,
  },
  { additionalProperties: false, minProperties: 1 },
);

const ListQuery = Type.Object(
  {
    kind: Type.Optional(OrganizationKind),
    status: Type.Optional(OrganizationStatus),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_LENGTH.name, description: 'Case-insensitive part of the name.' })),
    ...ChangeQuery,
    ...PageQuery,
  },
  { additionalProperties: false },
);

export function organizationDto(row: OrganizationRow): Static<typeof Organization> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    name: row.name,
    website: row.website,
    phone: row.phone,
    billing_street: row.billing_street,
    billing_city: row.billing_city,
    billing_state: row.billing_state,
    billing_postal_code: row.billing_postal_code,
    billing_country: row.billing_country,
    custom: row.custom,
    change_seq: toChangeSeq(row.change_seq),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

export const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['organizations'];
  const repository = app.prm.organizations;

  app.get('/organizations', {
    schema: { tags, summary: 'List organizations', querystring: ListQuery, response: { 200: ListReply(Organization), ...errorReplies(400) } },
    handler: async (request) => {
      const { kind, status, q, updated_since, include_deleted, limit, cursor } = request.query;
      const page = await repository.list({ kind, status, q, updatedSince: updated_since, includeDeleted: include_deleted, limit, cursor });
      return { data: page.items.map(organizationDto), next_cursor: page.nextCursor };
    },
  });

  registerRecordRoutes(app, {
    path: '/organizations',
    tags,
    record: Organization,
    toDto: organizationDto,
    createBody: CreateBody,
    updateBody: UpdateBody,
    repository,
    createCanConflict: false,
    summaries: { create: 'Create an organization', read: 'Read an organization', update: 'Change an organization', delete: 'Soft-delete an organization and its contacts' },
  });
};
