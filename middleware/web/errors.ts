// Errors on console pages render as HTML pages in the console's frame, not as JSON: a refused CSRF token,
// a form that failed validation, a missing record, the login rate limit.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { renderPage } from './render.ts';

interface ErrorView {
  status: number;
  heading: string;
  message: string;
  details: string[];
}

export function describeError(error: FastifyError | AppError): ErrorView {
  if (error instanceof AppError) {
    return { status: error.statusCode, heading: error.statusCode === 404 ? 'Not found' : 'Request refused', message: error.message, details: [] };
  }
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
    return {
      status: 403,
      heading: 'Form not accepted',
      message: 'The form was not sent from this page or has expired (missing or invalid CSRF token). Nothing was changed. Go back, reload the page and submit it again.',
      details: [],
    };
  }
  if (error.validation) {
    const details = error.validation.map((issue) => {
      const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || String((issue.params as Record<string, unknown>).missingProperty ?? (issue.params as Record<string, unknown>).additionalProperty ?? 'form');
      return `${field}: ${issue.message ?? 'is invalid'}`;
    });
    return { status: 400, heading: 'Invalid input', message: 'The request could not be accepted; nothing was changed.', details };
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return { status, heading: 'Too many attempts', message: 'Too many requests from this address. Wait a minute and try again.', details: [] };
  if (status < 500) return { status, heading: 'Request refused', message: error.message, details: [] };
  return { status, heading: 'Something went wrong', message: 'The page could not be shown because of an internal error; the details are in the server log.', details: [] };
}

export async function renderErrorPage(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const view = describeError(error);
  if (view.status >= 500) request.log.error({ err: error }, 'console page failed');
  // The login rate limit keeps the admin on the login form with the reason.
  if (view.status === 429 && request.url.startsWith('/login')) {
    return renderPage(request, reply, 'login', { title: 'Log in', status: 429 }, { next: '/sync', error: 'Too many login attempts from this address. Wait a minute and try again.' });
  }
  return renderPage(request, reply, 'error', { title: view.heading, status: view.status }, view as unknown as Record<string, unknown>);
}
