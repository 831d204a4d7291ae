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

  it('predicts exactly the same after a round trip through JSON', () => {
    const restored = CategoryModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const text of ['楼道有煤气味', '公交车不停站', '半夜施工太吵', '']) expect(restored.predict(text)).toEqual(model.predict(text));
    expect(restored.description).toEqual(model.description);
    expect(restored.toJSON()).toEqual(model.toJSON());
  });

  it('trains the same model again from the same examples and seed', () => {
    const again = trainCategoryModel(examples, { now: trainedAt });
    expect(again.toJSON()).toEqual(model.toJSON());
  });

  it('lets the most similar training texts vote, as much as the fitted combination says', () => {
    const stored = model.toJSON();
    const weighing = (neighbourWeight: number) => CategoryModel.fromJSON({ ...stored, combination: { ...stored.combination, svmWeight: 1, neighbourWeight } });
    // A repost of a 城乡建设 message with a phrase of a 交通运输 one: the SVMs waver, the original is its nearest text.
    const repost = '燃气公司不来检修漏气，公交车';
    const confidenceWith = (neighbourWeight: number) => weighing(neighbourWeight).predict(repost).find((prediction) => prediction.category === '城乡建设')?.confidence ?? 0;
    expect(confidenceWith(2)).toBeGreaterThan(confidenceWith(0));
  });

  it('describes its training data', () => {
    expect(model.description.exampleCount).toBe(18);
    expect(model.description.trainedAt).toBe(trainedAt.toISOString());
    expect(model.description.algorithm).toMatch(/SVM/);
    expect(model.description.features).toMatch(/character 1–2-grams/);
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

  it('with enough cases, fits the combination on held-out ones and stays unsure of text it cannot read', () => {
    const topics: Record<string, string[]> = {
      城乡建设: ['燃气管道漏气', '电梯坏了没人修', '小区路灯不亮', '自来水停水三天', '违章建筑挡住采光', '物业乱收费'],
      交通运输: ['公交车不按站停靠', '出租车拒载还绕路', '公交班次太少', '高速收费站拥堵', '网约车乱收费', '地铁站没有公交接驳'],
      环境保护: ['工地夜间施工噪音扰民', '工厂偷排废水', '饭店油烟扰民', '河道发黑发臭', '垃圾焚烧有臭味', '养猪场污染水源'],
    };
    const places = ['东城区', '西城区', '朝阳区', '海淀区', '丰台区', '石景山区', '通州区'];
    const larger = Object.entries(topics).flatMap(([category, complaints]) =>
      places.flatMap((place, placeIndex) =>
        complaints.map((complaint, index) => ({ text: `${place}${index % 2 ? '某小区' : '某街道'}${complaint}，已经${placeIndex + 2}天了，请尽快处理`, category })),
      ),
    );
    const fitted = trainCategoryModel(larger, { now: trainedAt });
    expect(fitted.description.validationCount).toBeGreaterThanOrEqual(20);
    expect(fitted.description.validationAccuracy).not.toBeNull();
    expect(fitted.predict('海淀区某小区燃气管道漏气，请尽快处理')[0]?.category).toBe('城乡建设');
    for (const text of ['', 'hello world', '12345', '！！']) expect(fitted.predict(text)[0]?.confidence).toBeLessThan(0.5);
    // A few words say less than a whole message: the confidence grows with what the model can read.
    const clear = fitted.predict('海淀区某小区燃气管道漏气，已经三天了，请尽快处理')[0]?.confidence ?? 0;
    expect(fitted.predict('燃气')[0]?.confidence).toBeLessThan(clear);
    expect(CategoryModel.fromJSON(JSON.parse(JSON.stringify(fitted.toJSON()))).predict('公交车不停站')).toEqual(fitted.predict('公交车不停站'));
  });

  it('refuses to train without examples, or with only one category, saying why', () => {
    expect(() => trainCategoryModel([])).toThrow(/without examples/);
    expect(() => trainCategoryModel([{ text: '燃气泄漏', category: '城乡建设' }])).toThrow(/at least two/);
  });

  it("reads a written message's title again on its own, and a call (no title) as before", () => {
    // Messages whose title names the matter and whose body wanders over all three kinds.
    const titled = examples.map((example) => ({ ...example, title: example.text.slice(0, 4), text: `${example.text.slice(0, 4)} 燃气公交噪音` }));
    const withTitles = trainCategoryModel(titled, { now: trainedAt, features: { titleWeight: 1 } });
    const withoutTitles = trainCategoryModel(
      titled.map(({ title: _title, ...example }) => example),
      { now: trainedAt, features: { titleWeight: 1 } },
    );
    const share = (target: CategoryModel, text: string, title?: string) =>
      target.predict(text, title).find((prediction) => prediction.category === '交通运输')?.confidence ?? 0;
    const message = '公交车不按 燃气公交噪音';
    expect(share(withTitles, message, '公交车不按')).toBeGreaterThan(share(withoutTitles, message));
    expect(withTitles.toJSON().titleWords).not.toBe('');
    expect(withoutTitles.toJSON().titleGrams).toBe('');
    expect(withTitles.description.features).toMatch(/title again in its own block/);
    // Stored and restored, it reads titles the same.
    const restored = CategoryModel.fromJSON(JSON.parse(JSON.stringify(withTitles.toJSON())));
    expect(restored.predict(message, '公交车不按')).toEqual(withTitles.predict(message, '公交车不按'));
    expect(restored.predict(message)).toEqual(withTitles.predict(message));
  });

  it('refuses a stored model of another format or version', () => {
    const stored = model.toJSON();
    expect(() => CategoryModel.fromJSON({ ...stored, version: 99 } as never)).toThrow(/version 99/);
    // Version 2 stored no title vocabulary: it must be retrained, not half read.
    expect(() => CategoryModel.fromJSON({ ...stored, version: 2 } as never)).toThrow(/version 2 is not supported/);
    expect(() => CategoryModel.fromJSON({} as never)).toThrow(/not a stored category model/);
  });
});
