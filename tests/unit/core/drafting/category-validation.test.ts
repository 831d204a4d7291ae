import { describe, expect, it } from 'vitest';
import { groupedValidationSplit, nearDuplicateGroups } from '../../../../src-main/core/drafting/category-validation';

const original = '尊敬的领导：我们小区的电梯已经坏了三个月，物业一直推说没有维修资金，老人上下楼非常困难，请相关部门督促物业尽快修复电梯。';
const repost = '尊敬的领导您好：我们小区的电梯已经坏了三个月了，物业一直推说没有维修资金，老人上下楼非常困难，请相关部门督促物业尽快修复！';
const unrelated = '某某学校违规补课，每个学生收取补课费两千元，家长敢怒不敢言，请教育局调查处理，还孩子一个正常的假期。';

describe('near-duplicate groups', () => {
  it('puts a repost with a few words changed in its original’s group, and nothing else', () => {
    const groups = nearDuplicateGroups([original, unrelated, repost]);
    expect(groups[0]).toBe(groups[2]);
    expect(groups[1]).not.toBe(groups[0]);
  });

  it('leaves short and empty texts alone', () => {
    expect(nearDuplicateGroups(['', '电梯', '电梯'])).toEqual([0, 1, 2]);
  });
});

describe('the grouped validation split', () => {
  const examples = Array.from({ length: 60 }, (_, index) => ({
    text: `${index % 2 === 0 ? '电梯维修' : '学校补课'}第${index}号留言，内容编号${index * 7919}，情况说明${index * 104_729}。`,
    category: index % 2 === 0 ? '城乡建设' : '教育文体',
  }));

  it('holds out about the share asked of each category, the same way for the same seed', () => {
    const { fitting, validation } = groupedValidationSplit(examples, 0.2, 7);
    expect(fitting.length + validation.length).toBe(examples.length);
    expect(validation.filter((example) => example.category === '城乡建设')).toHaveLength(6);
    expect(validation.filter((example) => example.category === '教育文体')).toHaveLength(6);
    expect(groupedValidationSplit(examples, 0.2, 7).validation).toEqual(validation);
  });

  it('never splits a message from its repost', () => {
    const withReposts = [...examples, { text: original, category: '城乡建设' }, { text: repost, category: '城乡建设' }];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { validation } = groupedValidationSplit(withReposts, 0.2, seed);
      expect(validation.some((example) => example.text === original)).toBe(validation.some((example) => example.text === repost));
    }
  });

  it('holds nothing out of a category too small to validate', () => {
    const { validation } = groupedValidationSplit([...examples, { text: '公交车不停站', category: '交通运输' }], 0.2, 7);
    expect(validation.some((example) => example.category === '交通运输')).toBe(false);
  });
});
