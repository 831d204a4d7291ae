import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UrgencyLevel } from '../../../../src-main/contract';
import { proposeDeadline } from '../../../../src-main/core/drafting/deadline';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));
const from = new Date('2024-05-06T08:30:00.000Z');

// A small table in the shape of service-levels.json: a '*' rule per urgency, some categories apart.
const table: Record<UrgencyLevel, Record<string, number>> = {
  极急: { '*': 2, 城乡建设: 1 },
  急办: { '*': 24 },
  常规: { '*': 120, 环境保护: 72 },
  争议: { '*': 360 },
};
const hoursFor = (urgency: UrgencyLevel, category: string | null) => table[urgency][category ?? '*'] ?? table[urgency]['*']!;

let reference: ReferenceData;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir);
});

describe('the deadline', () => {
  it('counts the hours of the urgency and category from the given moment', () => {
    expect(proposeDeadline('极急', '城乡建设', hoursFor, from)).toEqual({ value: '2024-05-06T09:30:00.000Z', hours: 1, confidence: 1 });
    expect(proposeDeadline('常规', '环境保护', hoursFor, from)?.value).toBe('2024-05-09T08:30:00.000Z');
    // A category without its own rule takes the urgency's default.
    expect(proposeDeadline('常规', '教育文体', hoursFor, from)?.hours).toBe(120);
  });

  it('follows the shipped service-level table', () => {
    const deadlineHours = (urgency: UrgencyLevel, category: string | null) => reference.deadlineHours(urgency, category);
    expect(proposeDeadline('极急', '城乡建设', deadlineHours, from)?.hours).toBe(1);
    expect(proposeDeadline('急办', '交通运输', deadlineHours, from)?.hours).toBe(24);
    expect(proposeDeadline('争议', null, deadlineHours, from)?.hours).toBe(360);
  });

  it('is as sure as the less sure of a proposed urgency and category', () => {
    const proposal = proposeDeadline({ value: '常规', confidence: 0.9 }, { value: '环境保护', confidence: 0.55 }, hoursFor, from);
    expect(proposal).toMatchObject({ hours: 72, confidence: 0.55 });
    expect(proposeDeadline({ value: '急办', confidence: 0.7 }, '城乡建设', hoursFor, from)?.confidence).toBe(0.7);
    // Out-of-range confidences are taken at their nearest sensible value.
    expect(proposeDeadline({ value: '急办', confidence: 7 }, { value: '城乡建设', confidence: Number.NaN }, hoursFor, from)?.confidence).toBe(0);
  });

  it('without a category uses the default rule and is at most 0.6 sure, since the category may change it', () => {
    for (const category of [null, { value: null, confidence: 0.9 }]) {
      const proposal = proposeDeadline('极急', category, hoursFor, from);
      expect(proposal).toMatchObject({ hours: 2, confidence: 0.6 });
    }
    expect(proposeDeadline({ value: '极急', confidence: 0.4 }, null, hoursFor, from)?.confidence).toBe(0.4);
  });

  it('proposes nothing without an urgency, or when the table or the start time give nothing usable', () => {
    expect(proposeDeadline(null, '城乡建设', hoursFor, from)).toBeNull();
    expect(proposeDeadline('常规', '城乡建设', hoursFor, new Date('not a date'))).toBeNull();
    expect(proposeDeadline('常规', null, () => 0, from)).toBeNull();
    expect(proposeDeadline('常规', null, () => Number.NaN, from)).toBeNull();
    expect(proposeDeadline('常规', null, () => 1e12, from)).toBeNull();
  });
});
