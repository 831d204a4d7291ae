import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import { PlatformError, unavailableRetryAfterSeconds } from './api/platform-error';
import { defaultRateLimit, TokenBucketRateLimiter, type RateLimitSettings } from './api/rate-limiter';
import { registerRoutes } from './api/routes';
import { DatabaseUnavailableError, type Database } from './storage/database';
import { openDatabase, type DatabaseLocation } from './storage/open-database';

export type { RateLimitSettings } from './api/rate-limiter';
export type { SubmissionReceipt } from './api/routes';

export interface PlatformOptions extends DatabaseLocation {
  host: string;
  /** 0 picks a free port (tests); `url` tells which. */
  port: number;
  /** Per-token token bucket; default 200 requests/s with bursts of 400. */
  rateLimit?: RateLimitSettings;
  /** Fastify's log (JSON lines on stdout). Default 'error': failures only; `serve` uses 'info'. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

export interface PlatformRoute {
  method: string;
  /** In OpenAPI form: `/v1/cases/{caseId}`. */
  path: string;
}

export interface RunningPlatform {
  url: string;
  database: Database;
  /** Every route this server answers: what src-platform/openapi.yaml must document. */
  routes: readonly PlatformRoute[];
  close(): Promise<void>;
}

/** A work order with its transcript excerpt is a few KiB; 256 KiB leaves room and bounds abuse. */
export const maxBodyBytes = 256 * 1024;

/** Fastify's own refusals (body parsing, limits), put into the platform's error vocabulary. */
function fromFrameworkError(error: FastifyError): PlatformError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PlatformError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBodyBytes / 1024} KiB (${maxBodyBytes} bytes).`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PlatformError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be JSON, sent with Content-Type: application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PlatformError('BAD_REQUEST', 'The request body is not valid JSON.', {
        fieldIssues: [{ field: '(body)', issue: 'invalid_format', message: 'The body could not be parsed as JSON (UTF-8).' }],
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PlatformError('BAD_REQUEST', 'The request body is empty.', {
        fieldIssues: [{ field: '(body)', issue: 'missing', message: 'A JSON body is required.' }],
      });
    default:
      // Any other client error Fastify detects (a bad Content-Length, an invalid URL) carries a safe message.
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? new PlatformError('BAD_REQUEST', error.message) : null;
  }
}

function toPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof DatabaseUnavailableError) {
    return new PlatformError('UNAVAILABLE', 'The platform database is not answering; nothing was stored. Retry later.', {
      retryAfterSeconds: unavailableRetryAfterSeconds,
    });
  }
  const fromFramework = typeof error === 'object' && error !== null && 'code' in error ? fromFrameworkError(error as FastifyError) : null;
  // Anything else is our fault: the client learns that much, the log learns the rest.
  return fromFramework ?? new PlatformError('INTERNAL', 'The platform failed to handle this request; the failure is logged. Retry later or contact the platform administrator.');
}

function sendError(reply: FastifyReply, error: PlatformError): FastifyReply {
  if (error.extra.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(error.extra.retryAfterSeconds));
  if (error.statusCode === 401) void reply.header('WWW-Authenticate', 'Bearer');
  return reply.status(error.statusCode).send(error.toBody());
}

/**
 * Starts the central platform: opens (and migrates) its database, then serves the API. Stateless
 * over the database, so several instances may share one PostgreSQL server.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const database = await openDatabase(options);
  const logLevel = options.logLevel ?? 'error';
  const app = Fastify({
    bodyLimit: maxBodyBytes,
    logger: logLevel === 'silent' ? false : { level: logLevel },
    // HEAD is not part of the contract.
    exposeHeadRoutes: false,
  });
  // JSON only: without this, Fastify would also accept text/plain bodies as strings.
  app.removeContentTypeParser('text/plain');

  const routes: PlatformRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, path: route.url.replace(/:(\w+)/g, '{$1}') });
  });

  app.setErrorHandler((error, request, reply) => {
    const platformError = toPlatformError(error);
    if (platformError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendError(reply, platformError);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new PlatformError('NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]} in this API.`)));

  registerRoutes(app, database, new TokenBucketRateLimiter(options.rateLimit ?? defaultRateLimit));

  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    database,
    routes,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
