import { beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../../../src-main/core/reference';
import { Segmenter } from '../../../../src-main/core/search/segmenter';
import { rerankByNeighbourCategories } from '../../../../src-main/core/search/search-index';
import { rankCallKeywords } from '../../../../src-main/core/search/suggestion-service';
import { resourcesDir } from '../../../support/temp-console';

let segmenter: Segmenter;
beforeAll(async () => {
  const reference = await loadReferenceData(resourcesDir, { preferredRegionCode: '11' });
  segmenter = await Segmenter.load(resourcesDir, reference.placeNames());
});

describe('segmentation', () => {
  it('keeps place names and hotline terms whole', () => {
    const terms = segmenter.terms('我住在朝阳区望京街道花家地小区，公司拖欠工资，还闻到煤气味，想问住房公积金');
    for (const word of ['望京街道', '花家地', '拖欠工资', '煤气味', '住房公积金', '朝阳区']) expect(terms, word).toContain(word);
  });

  it('also yields the parts of long words, so a shorter spoken form still matches', () => {
    expect(segmenter.terms('望京街道')).toEqual(expect.arrayContaining(['望京', '望京街道']));
  });

  it('drops stop words, single characters and punctuation, and folds full-width and case', () => {
    expect(segmenter.terms('喂，你好，请问一下？！')).toEqual([]);
    expect(segmenter.terms('ＡＢＣ电梯')).toEqual(expect.arrayContaining(['abc', '电梯']));
    expect(segmenter.terms('"NEAR" * - ()')).toEqual(['near']);
  });
});

describe('call keywords', () => {
  const statistics = {
    caseCount: 1000,
    articleCount: 0,
    caseFrequency: new Map([
      ['电梯', 50],
      ['小区', 600],
      ['停运', 40],
      ['门禁', 30],
    ]),
    articleFrequency: new Map<string, number>(),
  };

  it("weigh the caller's words over the operator's, rare words over common ones, and drop words found nowhere", () => {
    const ranked = rankCallKeywords(
      [
        { speaker: 'operator', terms: ['门禁'] },
        { speaker: 'caller', terms: ['小区', '电梯', '停运', '张三丰'] },
      ],
      statistics,
      10,
    ).map((entry) => entry.term);
    expect(ranked.indexOf('停运')).toBeLessThan(ranked.indexOf('小区'));
    expect(ranked.indexOf('电梯')).toBeLessThan(ranked.indexOf('门禁'));
    expect(ranked).not.toContain('张三丰');
  });

  it('in a live call, let the words of the matter lead over chatter that is rare only in a small corpus', () => {
    const small = { caseCount: 0, articleCount: 70, caseFrequency: new Map(), articleFrequency: new Map([['马上', 2], ['保持', 2], ['燃气', 3], ['泄漏', 3]]) };
    const segments = [
      { speaker: 'caller' as const, terms: segmenter.terms('楼道里燃气泄漏了') },
      { speaker: 'operator' as const, terms: segmenter.terms('请您马上下楼，保持电话畅通，马上保持联系') },
    ];
    const ranked = rankCallKeywords(segments, small, 2, (term) => segmenter.generalInformativeness(term)).map((entry) => entry.term);
    expect(ranked.sort()).toEqual(['泄漏', '燃气']);
  });

  it('let what was said recently count more than what was said long ago', () => {
    const segments = [{ speaker: 'caller' as const, terms: ['门禁'] }, ...Array.from({ length: 6 }, () => ({ speaker: 'caller' as const, terms: ['电梯'] }))];
    expect(rankCallKeywords(segments, statistics, 1)[0]?.term).toBe('电梯');
  });
});

describe('neighbour re-ranking', () => {
  it('prefers cases whose category most close neighbours share', () => {
    const reranked = rerankByNeighbourCategories([
      { id: 'a', score: 10, category: '交通运输' },
      { id: 'b', score: 9.5, category: '城乡建设' },
      { id: 'c', score: 9, category: '城乡建设' },
      { id: 'd', score: 8.5, category: '城乡建设' },
    ]);
    expect(reranked.map((hit) => hit.id)).toEqual(['b', 'c', 'd', 'a']);
  });
});
