import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainCategoryModel } from '../../../src-main/core/drafting/category-model';
import { splitMessages, type LabelledMessage } from '../../bench/labelled-messages';
import { sharedDataDir } from '../../support/shared-data';

const messages = readFileSync(join(sharedDataDir, 'tipdm-messages-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as LabelledMessage);
const textOf = (message: LabelledMessage) => `${message.title ?? ''} ${message.body}`;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('a category the model never learnt', () => {
  it('gets a low confidence, while the categories it knows keep a high one', () => {
    const unseen = '交通运输';
    const { train, test } = splitMessages(messages.slice(0, 3000), 0.8);
    const model = trainCategoryModel(train.filter((message) => message.label !== unseen).map((message) => ({ text: textOf(message), title: message.title ?? '', category: message.label })));
    const topConfidence = (message: LabelledMessage) => model.predict(textOf(message), message.title ?? '')[0]?.confidence ?? 0;
    const known = test.filter((message) => message.label !== unseen).map(topConfidence);
    const neverLearnt = test.filter((message) => message.label === unseen).map(topConfidence);
    expect(mean(known)).toBeGreaterThan(0.75);
    expect(mean(neverLearnt)).toBeLessThan(0.5);
    // Confident nonsense would be most such matters proposed above 0.8.
    expect(neverLearnt.filter((confidence) => confidence > 0.8).length / neverLearnt.length).toBeLessThan(0.2);
  }, 120_000);
});
