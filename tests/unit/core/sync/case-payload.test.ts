import { describe, expect, it } from 'vitest';
import type { Case } from '../../../../src-main/contract';
import { buildCasePayload, withSubmittedAt } from '../../../../src-main/core/sync/case-payload';
import { completeCaseFields } from '../../../support/temp-console';

const confirmed: Case = {
  ...completeCaseFields,
  answer: '已转物业',
  citedArticles: [{ id: 'kb-elevator', title: '电梯停运怎么办', version: 2 }],
  id: '0b7e3c1a-5f1d-4c55-9d7e-2f8a4c1b9e10',
  code: 'TS01-20261122-0001',
  callId: null,
  state: 'confirmed',
  stationCode: 'TS01',
  operatorName: '张敏',
  deadline: '2026-11-23T01:30:00.000Z',
  createdAt: '2026-11-22T01:20:00.000Z',
  updatedAt: '2026-11-22T01:30:00.000Z',
  confirmedAt: '2026-11-22T01:30:00.000Z',
};

describe('the body sent to the platform', () => {
  it('carries the code, station, confirmation time, every field with the deadline, and the schema version', () => {
    const body = JSON.parse(buildCasePayload(confirmed)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['code', 'stationCode', 'confirmedAt', 'fields', 'schemaVersion']);
    expect(body).toMatchObject({ code: 'TS01-20261122-0001', stationCode: 'TS01', confirmedAt: '2026-11-22T01:30:00.000Z', schemaVersion: 1 });
    const fields = body.fields as Record<string, unknown>;
    expect(fields).toMatchObject({ summary: completeCaseFields.summary, category: completeCaseFields.category, deadline: '2026-11-23T01:30:00.000Z', answer: '已转物业' });
    for (const name of Object.keys(completeCaseFields)) expect(fields).toHaveProperty(name);
    expect(fields).toHaveProperty('citedArticles');
    // The operator's name and the console's own ids stay on the console.
    expect(JSON.stringify(body)).not.toContain('张敏');
  });

  it('refuses a case that is not confirmed: nothing unconfirmed leaves the console', () => {
    expect(() => buildCasePayload({ ...confirmed, state: 'draft', confirmedAt: null })).toThrow(/not confirmed/);
  });

  it('adds submittedAt at each send and leaves the stored content byte for byte as it was', () => {
    const stored = buildCasePayload(confirmed);
    const first = withSubmittedAt(stored, new Date('2026-11-22T01:30:01Z'));
    const second = withSubmittedAt(stored, new Date('2026-11-22T03:00:00Z'));
    expect(first.startsWith(stored.slice(0, -1))).toBe(true);
    expect(JSON.parse(first)).toEqual({ ...JSON.parse(stored), submittedAt: '2026-11-22T01:30:01.000Z' });
    const withoutTime = (text: string) => text.replace(/,"submittedAt":"[^"]+"\}$/, '}');
    expect(withoutTime(first)).toBe(stored);
    expect(withoutTime(second)).toBe(stored);
    expect(withSubmittedAt('{}', new Date('2026-11-22T01:30:01Z'))).toBe('{"submittedAt":"2026-11-22T01:30:01.000Z"}');
    expect(() => withSubmittedAt('[1]', new Date())).toThrow();
  });
});
