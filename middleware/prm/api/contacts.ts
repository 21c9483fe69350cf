// /api/v1/contacts: contacts and users (a user is a contact promoted with /promote; same record, same id).
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ContactRow } from '../../db/tables.ts';
import { MAX_LENGTH } from '../limits.ts';
import { toChangeSeq } from '../repositories/shared.ts';
import {
  ChangeQuery,
  ChangeSeq,
  CustomFieldsInput,
  CustomFieldsOutput,
  Email,
  IdParams,
  ListReply,
  OptionalText,
  PageQuery,
  RequiredText,
  Timestamps,
  Uuid,
  Version,
  NoQuery,
  errorReplies,
  iso,
} from './schemas.ts';
import { registerRecordRoutes } from './record-routes.ts';

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const Contact = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    first_name: nullableText,
    last_name: Type.String(),
    email: nullableText,
    phone: nullableText,
    title: nullableText,
    is_user: Type.Boolean(),
    user_active: Type.Boolean(),
    custom: CustomFieldsOutput,
    change_seq: ChangeSeq,
    ...Timestamps,
  },
  { title: 'Contact' },
);

const editable = {
  first_name: OptionalText(MAX_LENGTH.first_name),
  email: Type.Optional(Type.Union([Email(), Type.Null()])),
  phone: OptionalText(MAX_LENGTH.phone),
  title: OptionalText(MAX_LENGTH.title),
  custom: Type.Optional(CustomFieldsInput),
};

const CreateBody = Type.Object(
  { organization_id: Uuid('The organization the contact works for.'), last_name: RequiredText(MAX_LENGTH.last_name), ...editable },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    version: Type.Optional(Version),
    organization_id: Type.Optional(Uuid('Moves the contact to another organization.')),
    last_name: Type.Optional(RequiredText(MAX_LENGTH.last_name)),
    ...editable,
  },
  { additionalProperties: false, minProperties: 1 },
);

const VersionBody = Type.Object({ version: Type.Optional(Version) }, { additionalProperties: false });

const ListQuery = Type.Object(
  {
    organization_id: Type.Optional(Uuid()),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_LENGTH.email, description: 'Exact email, ignoring case.' })),
    is_user: Type.Optional(Type.Boolean()),
    ...ChangeQuery,
    ...PageQuery,
  },
  { additionalProperties: false },
);

export function contactDto(row: ContactRow): Static<typeof Contact> {
  return {
    id: row.id,
    organization_id: row.organization_id,
    first_name: row.first_name,
    last_name: row.last_name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    is_user: row.is_user,
    user_active: row.user_active,
    custom: row.custom,
    change_seq: toChangeSeq(row.change_seq),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

export const contactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['contacts'];
  const repository = app.prm.contacts;

  // Emails are stored trimmed and lower-cased; trim before the format check so " Jane@Acme.com " is accepted.
  app.addHook('preValidation', async (request) => {
    const body = request.body as { email?: unknown } | undefined;
    if (body && typeof body === 'object' && typeof body.email === 'string') body.email = body.email.trim();
  });

  app.get('/contacts', {
    schema: { tags, summary: 'List contacts and users', querystring: ListQuery, response: { 200: ListReply(Contact), ...errorReplies(400) } },
    handler: async (request) => {
      const { organization_id, email, is_user, updated_since, include_deleted, limit, cursor } = request.query;
      const page = await repository.list({ organizationId: organization_id, email, isUser: is_user, updatedSince: updated_since, includeDeleted: include_deleted, limit, cursor });
      return { data: page.items.map(contactDto), next_cursor: page.nextCursor };
    },
  });

  registerRecordRoutes(app, {
    path: '/contacts',
    tags,
    record: Contact,
    toDto: contactDto,
    createBody: CreateBody,
    updateBody: UpdateBody,
    repository,
    createCanConflict: true,
    summaries: { create: 'Create a contact', read: 'Read a contact', update: 'Change a contact', delete: 'Soft-delete a contact' },
  });

  const userAction = (path: string, summary: string, act: (id: string, version: number | undefined) => Promise<ContactRow>) =>
    app.post(`/contacts/:id/${path}`, {
      schema: { tags, summary, querystring: NoQuery, params: IdParams, body: Type.Optional(VersionBody), response: { 200: Contact, ...errorReplies(400, 404, 409) } },
      handler: async (request) => contactDto(await act(request.params.id, request.body?.version)),
    });

  userAction('promote', 'Promote a contact to an active user (it needs an email)', (id, version) => repository.promote(id, { expectedVersion: version }));
  userAction('activate', 'Activate a user', (id, version) => repository.setUserActive(id, true, { expectedVersion: version }));
  userAction('deactivate', 'Deactivate a user (keeps the record and its groups)', (id, version) => repository.setUserActive(id, false, { expectedVersion: version }));
};
