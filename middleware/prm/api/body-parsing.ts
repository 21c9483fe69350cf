// Request bodies the PRM API accepts: JSON only, and only as valid UTF-8. Fastify's defaults would take
// `text/plain` too (then refuse it as "must be object", which says nothing about the content type) and
// decode broken UTF-8 bytes into U+FFFD, storing a name the client never sent. Both are refused here.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function acceptJsonOnly(api: FastifyInstance): void {
  api.removeContentTypeParser('text/plain');
  const parseJson = api.getDefaultJsonParser('error', 'error');
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new AppError(400, 'INVALID_UTF8', 'The request body is not valid UTF-8: encode the JSON text as UTF-8 (no Latin-1 or broken multi-byte sequences).'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
