// Registers the PRM repositories and the API token store on the Fastify instance (app.prm,
// app.apiTokens) for every route module: routes use these and never write SQL.
import fp from 'fastify-plugin';
import { createPrmRepositories, type PrmRepositories } from './repositories/index.ts';
import { createApiTokenRepository, type ApiTokenRepository } from '../security/api-tokens.ts';

declare module 'fastify' {
  interface FastifyInstance {
    prm: PrmRepositories;
    apiTokens: ApiTokenRepository;
  }
}

export const prmRepositoriesPlugin = fp(
  async (app) => {
    app.decorate('prm', createPrmRepositories(app.db));
    app.decorate('apiTokens', createApiTokenRepository(app.db));
  },
  { name: 'prm-repositories' },
);
