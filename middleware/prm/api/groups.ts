// /api/v1/groups: groups of users and the modules they grant; /groups/:id/members manages membership.
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { GroupRow } from '../../db/tables.ts';
import { MAX_LENGTH } from '../limits.ts';
import { GROUP_MODULES } from '../repositories/groups.ts';
import { contactDto, Contact } from './contacts.ts';
import {
  CustomFieldsInput,
  CustomFieldsOutput,
  IdParams,
  ListReply,
  NoContent,
  OrganizationKind,
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

const GroupModule = Type.Enum([...GROUP_MODULES], { description: 'A portal module the group grants, e.g. deal_registration.' });
const Modules = Type.Array(GroupModule, { maxItems: GROUP_MODULES.length, uniqueItems: true });

export const Group = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    kind: OrganizationKind,
    modules: Type.Array(GroupModule),
    custom: CustomFieldsOutput,
    ...Timestamps,
  },
  { title: 'Group' },
);

const CreateBody = Type.Object(
  { name: RequiredText(MAX_LENGTH.name), kind: OrganizationKind, modules: Type.Optional(Modules), custom: Type.Optional(CustomFieldsInput) },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    version: Type.Optional(Version),
    name: Type.Optional(RequiredText(MAX_LENGTH.name)),
    kind: Type.Optional(OrganizationKind),
    modules: Type.Optional(Modules),
    custom: Type.Optional(CustomFieldsInput),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ListQuery = Type.Object({ kind: Type.Optional(OrganizationKind), module: Type.Optional(GroupModule), ...PageQuery }, { additionalProperties: false });
const MemberParams = Type.Object({ id: Uuid(), contact_id: Uuid() }, { additionalProperties: false });
const Membership = Type.Object({ group_id: Uuid(), contact_id: Uuid(), added: Type.Boolean({ description: 'false when the user was already a member.' }) });

export function groupDto(row: GroupRow): Static<typeof Group> {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    modules: row.modules,
    custom: row.custom,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

export const groupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['groups'];
  const { groups, contacts } = app.prm;

  app.get('/groups', {
    schema: { tags, summary: 'List groups', querystring: ListQuery, response: { 200: ListReply(Group), ...errorReplies(400) } },
    handler: async (request) => {
      const page = await groups.list(request.query);
      return { data: page.items.map(groupDto), next_cursor: page.nextCursor };
    },
  });

  registerRecordRoutes(app, {
    path: '/groups',
    tags,
    record: Group,
    toDto: groupDto,
    createBody: CreateBody,
    updateBody: UpdateBody,
    repository: groups,
    createCanConflict: true,
    summaries: { create: 'Create a group', read: 'Read a group', update: 'Change a group', delete: 'Delete a group (its memberships end)' },
  });

  app.get('/groups/:id/members', {
    schema: {
      tags,
      summary: "List a group's users",
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: ListReply(Contact), ...errorReplies(400, 404) },
    },
    handler: async (request) => {
      await groups.require(request.params.id);
      const page = await contacts.list({ groupId: request.params.id, ...request.query });
      return { data: page.items.map(contactDto), next_cursor: page.nextCursor };
    },
  });

  app.put('/groups/:id/members/:contact_id', {
    schema: {
      tags,
      summary: 'Add a user to a group (idempotent)',
      params: MemberParams,
      querystring: NoQuery,
      response: { 200: Membership, 201: Membership, ...errorReplies(400, 404, 409) },
    },
    handler: async (request, reply) => {
      const { id, contact_id } = request.params;
      const added = await groups.addMember(id, contact_id);
      return reply.code(added ? 201 : 200).send({ group_id: id, contact_id, added });
    },
  });

  app.delete('/groups/:id/members/:contact_id', {
    schema: { tags, summary: 'Remove a user from a group', querystring: NoQuery, params: MemberParams, response: { 204: NoContent, ...errorReplies(400, 404) } },
    handler: async (request, reply) => {
      await groups.removeMember(request.params.id, request.params.contact_id);
      return reply.code(204).send(null);
    },
  });
};
