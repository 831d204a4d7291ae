import { describe, expect, it } from 'vitest';
import { CategoryModel, trainCategoryModel, type CategoryExample } from '../../../../src-main/core/drafting/category-model';

// Three plainly different kinds of call, several wordings each, so the model must generalise
// from shared words (燃气, 公交, 噪音) rather than memorise sentences.
const examples: CategoryExample[] = [
  ...['小区燃气泄漏有煤气味', '楼道里燃气管道漏气', '家里燃气表漏气很危险', '燃气公司不来检修漏气', '闻到燃气味担心爆炸', '燃气灶旁边有煤气味'].map((text) => ({
    text,
    category: '城乡建设',
  })),
  ...['公交车不按站停靠', '公交线路调整后没有车', '公交司机态度差还急刹车', '这路公交班次太少等很久', '公交站台被占用', '公交车绕路不进站'].map((text) => ({
    text,
    category: '交通运输',
  })),
  ...['工地夜间施工噪音扰民', '广场舞噪音太大睡不着', '酒吧噪音到凌晨', '工厂排放噪音和废气', '楼下饭店油烟噪音扰民', '噪音超标影响休息'].map((text) => ({
    text,
    category: '环境保护',
  })),
];

const trainedAt = new Date('2024-06-05T08:00:00Z');

describe('category model', () => {
  const model = trainCategoryModel(examples, { now: trainedAt });

  it('proposes the category whose words the caller uses', () => {
    expect(model.predict('我家厨房有燃气味道')[0]?.category).toBe('城乡建设');
    expect(model.predict('早上的公交一直不来')[0]?.category).toBe('交通运输');
    expect(model.predict('隔壁装修噪音太吵了')[0]?.category).toBe('环境保护');
  });

  it('returns three alternatives, best first, with confidences that behave like probabilities', () => {
    const predictions = model.predict('小区燃气管道漏气');
    expect(predictions).toHaveLength(3);
    expect(new Set(predictions.map((prediction) => prediction.category)).size).toBe(3);
    for (const prediction of predictions) {
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(1);
    }
    const confidences = predictions.map((prediction) => prediction.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // A clear case is proposed with more confidence than an ambiguous one.
    expect(predictions[0]?.confidence).toBeGreaterThan(model.predict('燃气公交噪音')[0]?.confidence ?? 1);
  });

  it('predicts the same after a round trip through JSON', () => {
    const restored = CategoryModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const text of ['楼道有煤气味', '公交车不停站', '半夜施工太吵', '']) {
      const before = model.predict(text);
      const after = restored.predict(text);
      expect(after.map((prediction) => prediction.category)).toEqual(before.map((prediction) => prediction.category));
      after.forEach((prediction, index) => expect(prediction.confidence).toBeCloseTo(before[index]?.confidence ?? -1, 5));
    }
    expect(restored.description).toEqual(model.description);
  });

  it('describes its training data', () => {
    expect(model.description.exampleCount).toBe(18);
    expect(model.description.trainedAt).toBe(trainedAt.toISOString());
    expect(model.description.categories).toEqual(
      expect.arrayContaining([
        { category: '城乡建设', count: 6 },
        { category: '交通运输', count: 6 },
        { category: '环境保护', count: 6 },
      ]),
    );
  });

  it('answers empty, punctuation-only or foreign text with no preferred category instead of throwing', () => {
    for (const text of ['', '   ', '？！。，……', 'hello there']) {
      const predictions = model.predict(text);
      expect(predictions).toHaveLength(3);
      for (const prediction of predictions) expect(prediction.confidence).toBeCloseTo(1 / 3, 5);
    }
  });

  it('refuses to train without examples, or with only one category, saying why', () => {
    expect(() => trainCategoryModel([])).toThrow(/without examples/);
    expect(() => trainCategoryModel([{ text: '燃气泄漏', category: '城乡建设' }])).toThrow(/at least two/);
  });

  it('refuses a stored model of another format or version', () => {
    const stored = model.toJSON();
    expect(() => CategoryModel.fromJSON({ ...stored, version: 99 } as never)).toThrow(/version 99/);
    expect(() => CategoryModel.fromJSON({} as never)).toThrow(/not a stored category model/);
  });
});
