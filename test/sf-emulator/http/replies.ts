// Error replies in Salesforce's REST shape: an array of { message, errorCode[, fields] } with the status
// Salesforce uses for that error.
import type { EmulatorReply, SfErrorItem } from '../contracts.ts';

export function errorReply(status: number, errorCode: string, message: string, fields?: string[]): EmulatorReply {
  const item: Record<string, unknown> = { message, errorCode };
  if (fields) item.fields = fields;
  return { status, body: [item] };
}

/** A save error (statusCode form) turned into a REST error body. */
export function saveErrorReply(status: number, errors: SfErrorItem[]): EmulatorReply {
  return { status, body: errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })) };
}

export const notFound = (): EmulatorReply => errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = (): EmulatorReply => errorReply(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export function jsonParserError(detail: string): EmulatorReply {
  return errorReply(400, 'JSON_PARSER_ERROR', detail);
}

/** 415 for a body whose content type the resource does not take. */
export function unsupportedMediaType(contentType: string | undefined): EmulatorReply {
  return errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${contentType ?? 'none'}' is not supported for this resource; send application/json`);
}

/** JSON bodies are required for writes; returns the 415/400 reply to send, or undefined when the body is usable. */
export function requireJsonObject(request: { headers: Record<string, string | string[] | undefined>; json?: unknown; rawBody: Buffer }): EmulatorReply | undefined {
  const contentType = request.headers['content-type'];
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (request.rawBody.length > 0 && !/json/i.test(type ?? '')) return unsupportedMediaType(type);
  if (request.json === undefined || request.json === null || typeof request.json !== 'object') {
    return jsonParserError('The request body must be a JSON object.');
  }
  return undefined;
}
