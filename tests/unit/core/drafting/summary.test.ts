import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Evidence, TranscriptLine } from '../../../../src-main/core/drafting/phone-extraction';
import { summariseCall } from '../../../../src-main/core/drafting/summary';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';
import { sharedDataDir } from '../../../support/shared-data';
import { caller, operator, sampleCallLines } from '../../../support/transcript-lines';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

let reference: ReferenceData;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir);
});


const sampleLines = (id: string) => sampleCallLines(reference, id);

/** Every evidence span lies in a caller line, and its words are in the summary. */
function expectEvidenceInSummary(lines: readonly TranscriptLine[], summary: string, evidence: readonly Evidence[]) {
  expect(evidence.length).toBeGreaterThan(0);
  for (const span of evidence) {
    const line = lines.find((candidate) => candidate.id === span.segmentId);
    expect(line?.speaker).toBe('caller');
    expect(span.start).toBeLessThan(span.end);
    const words = line!.text.slice(span.start, span.end);
    // Merged spans keep the text between clauses; the summary may end them differently.
    for (const part of words.split(/[，。？！：；…,.?!:;\s]+/).filter(Boolean)) expect(summary).toContain(part);
  }
}

describe('summaries of the sample calls', () => {
  // The words without which the summary would miss the matter.
  const keyWords: Record<string, string[]> = {
    'gas-leak': ['煤气味', '燃气泄漏', '和平里'],
    'water-cut': ['停水', '方庄'],
    'unpaid-wages': ['拖欠工资', '新村街道'],
    'night-construction-noise': ['施工', '学院路'],
    'elevator-out-of-service': ['电梯', '停了三天', '望京'],
    'repeat-caller': ['路灯', '第二次'],
    'social-insurance-question': ['社保', '辞职'],
    'anonymous-report': ['往外租', '私拉电线', '回龙观'],
  };

  it('state the matter in at most 150 characters, in the caller’s words, without greetings, names or numbers', () => {
    for (const [id, words] of Object.entries(keyWords)) {
      const lines = sampleLines(id);
      const summary = summariseCall(lines);
      expect(summary, id).not.toBeNull();
      const value = summary!.value;
      expect(value.length, id).toBeLessThanOrEqual(150);
      for (const word of words) expect(value, id).toContain(word);
      expect(value, id).not.toMatch(/^(喂|你好|您好)/);
      expect(value, id).not.toMatch(/谢谢|再见|我姓|12345/);
      // Neither the written nor the spoken number.
      expect(value, id).not.toMatch(/1[3-9]\d{9}|一五二|一三九/);
      // Nothing of the operator's.
      expect(value, id).not.toContain('市民服务热线');
      expect(value, id).toMatch(/[。？！]$/);
      expect(summary!.confidence, id).toBeGreaterThanOrEqual(0.5);
      expectEvidenceInSummary(lines, value, summary!.evidence);
    }
  });

  it('keeps the order in which the caller said things', () => {
    const value = summariseCall(sampleLines('water-cut'))!.value;
    expect(value.indexOf('停水')).toBeLessThan(value.indexOf('方庄街道'));
  });

  it('respects a shorter limit, cutting between clauses', () => {
    const lines = sampleLines('elevator-out-of-service');
    const short = summariseCall(lines, { maxLength: 40 })!;
    expect(short.value.length).toBeLessThanOrEqual(40);
    expect(short.value).toContain('电梯已经停了三天了');
  });
});

describe('summaries of written messages', () => {
  const messages = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 300)
    .map((line) => JSON.parse(line) as { title?: string; body: string });

  it('start with the title, then the first sentences of the body, within 150 characters', () => {
    let titled = 0;
    for (const [index, message] of messages.entries()) {
      const lines: TranscriptLine[] = [
        ...(message.title ? [{ id: 'title', speaker: 'caller' as const, text: message.title }] : []),
        { id: 'body', speaker: 'caller', text: message.body },
      ];
      const summary = summariseCall(lines);
      expect(summary, `row ${index}`).not.toBeNull();
      expect(summary!.value.length, `row ${index}`).toBeLessThanOrEqual(150);
      expectEvidenceInSummary(lines, summary!.value, summary!.evidence);
      if (message.title && message.title.length < 60) {
        titled += 1;
        expect(summary!.evidence[0]?.segmentId, `row ${index}`).toBe('title');
        // A body that only repeats the title adds nothing.
        const bodyRepeatsTitle = message.title.includes(message.body.replace(/[。？！?!\s]+$/u, ''));
        expect(summary!.evidence.some((span) => span.segmentId === 'body'), `row ${index}`).toBe(!bodyRepeatsTitle);
      }
    }
    expect(titled).toBeGreaterThan(200);
  });

  it('leaves out a letter’s salutation', () => {
    const lines = [
      { id: 'title', speaker: 'caller' as const, text: '小区长期停水得不到解决' },
      { id: 'body', speaker: 'caller' as const, text: '尊敬的领导：您好！我们小区最近一个月经常停水，物业也不管，希望有关部门尽快解决。' },
    ];
    const value = summariseCall(lines)!.value;
    expect(value).not.toMatch(/尊敬|您好/);
    expect(value).toContain('经常停水');
  });
});

describe('bad input', () => {
  it('gives no summary for an empty call, greetings only, contact details only or a single word', () => {
    expect(summariseCall([])).toBeNull();
    expect(summariseCall([operator('您好，12345市民服务热线，请问有什么可以帮您？')])).toBeNull();
    expect(summariseCall([caller('  ')])).toBeNull();
    expect(summariseCall([caller('喂'), caller('你好'), caller('对，好的，谢谢，再见')])).toBeNull();
    expect(summariseCall([caller('我姓王，电话是13912345678，就打这个号')])).toBeNull();
    expect(summariseCall([caller('电梯')])).toBeNull();
  });

  it('is unsure of text it cannot read, and does not fail on dialect or very long text', () => {
    const english = summariseCall([caller('hello, the lift in my building has been broken for three days')]);
    expect(english!.confidence).toBeLessThanOrEqual(0.2);
    expect(summariseCall([caller('Hello, the street light is broken.')])?.value).toBe('Hello, the street light is broken.');
    const dialect = summariseCall([caller('俺家那嘎达水管子崩了，咋整啊')]);
    expect(dialect?.value).toContain('水管子崩了');
    const unbroken = summariseCall([caller('楼道'.repeat(200))]);
    expect(unbroken!.value.length).toBeLessThanOrEqual(150);
    expect(unbroken!.value.endsWith('…')).toBe(true);
  });
});
