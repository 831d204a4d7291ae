import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Station } from '../model';
import { listChanges, receiveCase, updateCaseStatus, type ReceivedCase } from '../storage/cases';
import type { Database } from '../storage/database';
import { findStationByTokenDigest } from '../storage/stations';
import { PlatformError, unavailableRetryAfterSeconds, type FieldIssue } from './platform-error';
import type { TokenBucketRateLimiter } from './rate-limiter';
import { bearerToken, digestsMatch, tokenDigest } from './station-tokens';
import { parseCaseId, parseChangesQuery, supportedSchemaVersion, validateCaseSubmission, validateStatusUpdate } from './validation';

/** Over this, the console's clock is reported as off (still accepted: the platform stamps its own time). */
export const clockSkewWarningSeconds = 5 * 60;

declare module 'fastify' {
  interface FastifyRequest {
    /** The station whose token authenticated this request; set by the authentication hook. */
    station: Station | null;
  }
}

export interface SubmissionReceipt extends ReceivedCase {
  caseId: string;
  duplicate: boolean;
  ignoredFields: string[];
  clockSkewSeconds: number;
  warnings?: Array<'clock-skew' | 'newer-schema-version'>;
}

function authenticatedStation(request: FastifyRequest): Station {
  if (!request.station) throw new Error('A route that needs a station ran without the authentication hook.');
  return request.station;
}

/** Registers the API on `app` over `database`. Routes under the authentication hook need a valid token. */
export function registerRoutes(app: FastifyInstance, database: Database, limiter: TokenBucketRateLimiter): void {
  app.decorateRequest('station', null);

  app.get('/v1/health', async (_request, reply) => {
    const report = (status: 'ok' | 'unavailable') => ({ status, database: database.kind, time: new Date().toISOString() });
    try {
      await database.query('SELECT 1');
      return report('ok');
    } catch (error) {
      app.log.warn({ err: error }, 'health check: the database is not answering');
      return reply.status(503).header('Retry-After', String(unavailableRetryAfterSeconds)).send(report('unavailable'));
    }
  });

  void app.register(async (authenticated) => {
    authenticated.addHook('onRequest', async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (token === null) {
        throw new PlatformError(
          'UNAUTHORIZED',
          request.headers.authorization === undefined
            ? 'This request needs an Authorization: Bearer <station token> header.'
            : 'The Authorization header does not hold a platform station token (Bearer hcp_…).',
        );
      }
      const digest = tokenDigest(token);
      // Before the look-up, so that a flood of requests (valid token or not) costs no database work.
      const decision = limiter.take(digest);
      if (!decision.allowed) {
        throw new PlatformError('RATE_LIMITED', `Too many requests with this token; retry in ${decision.retryAfterSeconds} s.`, {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
      const station = await findStationByTokenDigest(database, digest);
      if (!station || !digestsMatch(station.tokenSha256, digest)) {
        throw new PlatformError('UNAUTHORIZED', 'This token is not known to the platform. Check the station token configured on the console.');
      }
      if (station.revokedAt !== null) {
        throw new PlatformError(
          'TOKEN_REVOKED',
          `The token of station ${station.code} was revoked at ${station.revokedAt}. Ask the platform administrator for a new token.`,
        );
      }
      const { tokenSha256: _digest, ...publicStation } = station;
      request.station = publicStation;
    });

    authenticated.put<{ Params: { caseId: string } }>('/v1/cases/:caseId', async (request, reply) => {
      const station = authenticatedStation(request);
      const caseId = parseCaseId(request.params.caseId);
      const { submission, ignoredFields, bodySha256 } = validateCaseSubmission(request.body);
      if (submission.stationCode !== station.code) {
        throw new PlatformError('FORBIDDEN', `This token belongs to station ${station.code}; it cannot submit cases of station ${submission.stationCode}.`);
      }
      const receivedAt = new Date();
      const outcome = await receiveCase(database, {
        caseId,
        stationCode: station.code,
        code: submission.code,
        body: request.body as Record<string, unknown>,
        bodySha256,
        confirmedAt: submission.confirmedAt,
        receivedAt,
      });
      switch (outcome.kind) {
        case 'content-differs':
          throw new PlatformError(
            'CONFLICT',
            `Case ${caseId} was already received (platform number ${outcome.platformNumber}) with different content. The case stays as first received; a received case cannot be changed by sending it again.`,
            { details: { platformNumber: outcome.platformNumber } },
          );
        case 'case-id-of-another-station':
          throw new PlatformError('CONFLICT', `Case id ${caseId} is already used by another station's case. Each case needs its own UUID.`);
        case 'code-already-used':
          throw new PlatformError(
            'CONFLICT',
            `Station ${station.code} already submitted case code ${submission.code} as case ${outcome.caseId} (platform number ${outcome.platformNumber}).`,
            { details: { caseId: outcome.caseId, platformNumber: outcome.platformNumber } },
          );
        case 'created':
        case 'duplicate': {
          const clockSkewSeconds = Math.round((Date.parse(submission.submittedAt) - receivedAt.getTime()) / 1000);
          const warnings: NonNullable<SubmissionReceipt['warnings']> = [];
          if (Math.abs(clockSkewSeconds) > clockSkewWarningSeconds) warnings.push('clock-skew');
          if (submission.schemaVersion > supportedSchemaVersion) warnings.push('newer-schema-version');
          if (warnings.length > 0) request.log.warn({ station: station.code, caseId, clockSkewSeconds, schemaVersion: submission.schemaVersion, warnings }, 'case received with warnings');
          const duplicate = outcome.kind === 'duplicate';
          const receipt: SubmissionReceipt = { caseId, ...outcome.received, duplicate, ignoredFields, clockSkewSeconds, ...(warnings.length > 0 ? { warnings } : {}) };
          return reply.status(duplicate ? 200 : 201).send(receipt);
        }
      }
    });

    authenticated.get('/v1/changes', async (request) => {
      const station = authenticatedStation(request);
      const { since, limit } = parseChangesQuery(request.query as Record<string, unknown>);
      const changes = await listChanges(database, { since, limit, stationCode: station.role === 'station' ? station.code : null });
      return { changes, nextCursor: changes.at(-1)?.cursor ?? since };
    });

    authenticated.post<{ Params: { caseId: string } }>('/v1/cases/:caseId/status', async (request) => {
      const station = authenticatedStation(request);
      if (station.role !== 'dispatcher') {
        throw new PlatformError('FORBIDDEN', `Only dispatcher tokens may change a case's status; station ${station.code} has the role ${station.role}.`);
      }
      const caseId = parseCaseId(request.params.caseId);
      const update = validateStatusUpdate(request.body);
      const outcome = await updateCaseStatus(database, { caseId, ...update, now: new Date() });
      switch (outcome.kind) {
        case 'not-found':
          throw new PlatformError('NOT_FOUND', `There is no case ${caseId} on this platform.`);
        case 'backwards':
          throw new PlatformError('CONFLICT', `Case ${caseId} is already ${outcome.from}; it cannot move back to ${outcome.to}.`, {
            details: { status: outcome.from },
          });
        case 'verdict-too-early': {
          const issue: FieldIssue = { field: 'followUpVerdict', issue: 'not_allowed', message: 'A follow-up verdict can be recorded only once the case is handled or closed.' };
          throw new PlatformError('BAD_REQUEST', `Case ${caseId} would be ${outcome.status}: too early for a follow-up verdict.`, { fieldIssues: [issue] });
        }
        case 'applied':
          return outcome.change;
      }
    });
  });
}
