// The four routes every PRM record type shares — create, read, change (optimistic version), soft-delete —
// built once from the record's schemas, repository and DTO, so the resources differ only where they
// really do (their lists, their extra actions). The TypeBox schemas validate each request before a
// handler runs; the generics tie the repository's input types to those schemas at compile time.
import type { Static, TSchema } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeleteQuery, IdParams, NoContent, NoQuery, errorReplies } from './schemas.ts';

type TypeboxApp = Parameters<FastifyPluginAsyncTypebox>[0];

interface WriteOptions {
  expectedVersion?: number | undefined;
}

export interface RecordRepository<Row, New, Patch> {
  create(input: New): Promise<Row>;
  require(id: string): Promise<Row>;
  update(id: string, patch: Patch, options: WriteOptions): Promise<Row>;
  softDelete(id: string, options: WriteOptions): Promise<unknown>;
}

export interface RecordRoutes<Row, TCreate extends TSchema, TUpdate extends TSchema> {
  /** The collection's path under /api/v1, e.g. `/contacts`. */
  path: string;
  tags: string[];
  /** The record as the API returns it, and how a stored row becomes that. */
  record: TSchema;
  toDto: (row: Row) => unknown;
  createBody: TCreate;
  /** The change body: the fields to change plus the optional `version` the caller last read. */
  updateBody: TUpdate;
  repository: RecordRepository<Row, Static<TCreate>, Omit<Static<TUpdate>, 'version'>>;
  summaries: { create: string; read: string; update: string; delete: string };
  /** Whether a creation can conflict with an existing record (a unique email, a unique opportunity). */
  createCanConflict: boolean;
}

export function registerRecordRoutes<Row, TCreate extends TSchema, TUpdate extends TSchema>(app: TypeboxApp, spec: RecordRoutes<Row, TCreate, TUpdate>): void {
  const { path, tags, record, toDto, repository, summaries } = spec;

  app.post(path, {
    schema: { tags, summary: summaries.create, querystring: NoQuery, body: spec.createBody, response: { 201: record, ...(spec.createCanConflict ? errorReplies(400, 409) : errorReplies(400)) } },
    handler: async (request, reply) => {
      const row = await repository.create(request.body as Static<TCreate>);
      const id = (row as { id: string }).id;
      return reply.code(201).header('location', `/api/v1${path}/${id}`).send(toDto(row));
    },
  });

  app.get(`${path}/:id`, {
    schema: { tags, summary: summaries.read, querystring: NoQuery, params: IdParams, response: { 200: record, ...errorReplies(400, 404) } },
    handler: async (request) => toDto(await repository.require(request.params.id)),
  });

  app.patch(`${path}/:id`, {
    schema: { tags, summary: summaries.update, querystring: NoQuery, params: IdParams, body: spec.updateBody, response: { 200: record, ...errorReplies(400, 404, 409) } },
    handler: async (request) => {
      const { version, ...patch } = request.body as Static<TUpdate> & { version?: number };
      return toDto(await repository.update(request.params.id, patch as Omit<Static<TUpdate>, 'version'>, { expectedVersion: version }));
    },
  });

  app.delete(`${path}/:id`, {
    schema: { tags, summary: summaries.delete, params: IdParams, querystring: DeleteQuery, response: { 204: NoContent, ...errorReplies(400, 404, 409) } },
    handler: async (request, reply) => {
      await repository.softDelete(request.params.id, { expectedVersion: request.query.version });
      return reply.code(204).send(null);
    },
  });
}
