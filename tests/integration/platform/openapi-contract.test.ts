// The documented contract (src-platform/openapi.yaml) against what the platform actually serves.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { errorStatusCodes } from '../../../src-platform/api/platform-error';
import { caseStatuses, followUpVerdicts } from '../../../src-platform/model';
import { startPlatform, type RunningPlatform } from '../../../src-platform/server';
import { PlatformTestDatabases } from '../../support/platform-backends';
import { setUpSuite } from '../../support/suite-setup';

interface OpenApiOperation {
  security?: unknown[];
  responses: Record<string, unknown>;
}

interface OpenApiDocument {
  openapi: string;
  security: unknown[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { enum?: unknown[] }> };
}

const openApiPath = fileURLToPath(new URL('../../../src-platform/openapi.yaml', import.meta.url));
const httpMethods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Where a YAML slip (an unquoted ", " in a flow mapping) turned text into a key with no value. */
function emptyValuePaths(node: unknown, path: string[] = []): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    value === null && path.at(-1) !== 'enum' && !Array.isArray(node) ? [[...path, key].join('.')] : emptyValuePaths(value, [...path, key]),
  );
}

describe('the OpenAPI document of the platform', () => {
  const databases = new PlatformTestDatabases();
  let document: OpenApiDocument;
  let platform: RunningPlatform;

  setUpSuite(async () => {
    document = parse(await readFile(openApiPath, 'utf8')) as OpenApiDocument;
    platform = await startPlatform({ ...(await databases.freshLocation('pglite')), host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await databases.dispose();
  });

  it('is OpenAPI 3.1 and has no key left without a value', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(emptyValuePaths(document)).toEqual([]);
  });

  it('documents exactly the routes the server registers', () => {
    const served = platform.routes.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).filter((method) => httpMethods.has(method)).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(documented);
  });

  it('asks for a token everywhere but on health', () => {
    expect(document.security).toEqual([{ stationToken: [] }]);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const operation of Object.values(operations)) {
        if (path === '/v1/health') expect(operation.security).toEqual([]);
        else {
          expect(operation.security).toBeUndefined();
          expect(Object.keys(operation.responses)).toContain('401');
        }
      }
    }
  });

  it('lists the same error codes, statuses and follow-up verdicts as the code', () => {
    const schemas = document.components.schemas;
    expect(schemas.ErrorCode?.enum).toEqual(Object.keys(errorStatusCodes));
    expect(schemas.CaseStatus?.enum).toEqual([...caseStatuses]);
    expect(schemas.FollowUpVerdict?.enum).toEqual([...followUpVerdicts, null]);
  });
});
