import { describe, expect, it } from 'vitest';
import { caseFieldsSchema } from '../../../../src-main/contract';
import { findConfirmationIssues, type CaseRules } from '../../../../src-main/core/cases/case-validation';
import { isValidPhone, phoneDigits } from '../../../../src-main/core/cases/phone-number';
import { completeCaseFields } from '../../../support/temp-console';

const rules: CaseRules = {
  isKnownCategoryPath: (path) => path[0] === '城乡建设',
  deadlineHours: () => 24,
};

describe('phone numbers', () => {
  it('accepts mobiles and landlines as operators type them', () => {
    for (const phone of ['13812345678', '138 1234 5678', '+86 139-0000-1111', '010-65123456', '0755 8888 6666', '65123456']) {
      expect(isValidPhone(phone), phone).toBe(true);
    }
  });
  it('rejects what cannot be dialled', () => {
    for (const phone of ['12345', '1381234567', '23812345678', '010-1', 'abc', '138123456789']) {
      expect(isValidPhone(phone), phone).toBe(false);
    }
  });
  it('strips separators for search', () => {
    expect(phoneDigits('010-6512 3456')).toBe('01065123456');
  });
});

describe('confirmation checks', () => {
  const parse = (fields: object) => caseFieldsSchema.parse(fields);

  it('passes a complete work order', () => {
    expect(findConfirmationIssues(parse(completeCaseFields), rules)).toEqual([]);
  });

  it('lets an anonymous caller go without a phone, and a case resolved on the call go without a department', () => {
    const fields = parse({ ...completeCaseFields, callerPhone: '', anonymous: true, department: null, resolvedOnCall: true, appealType: '咨询' });
    expect(findConfirmationIssues(fields, rules)).toEqual([]);
  });

  it('names each missing or invalid field', () => {
    const issues = findConfirmationIssues(parse({ appealType: '举报', followUp: { wanted: true, method: 'none' }, category: ['教育文体'] }), rules);
    expect(issues.map((issue) => `${issue.field}:${issue.issue}`)).toEqual([
      'callerPhone:required',
      'category:unknown_category',
      'urgency:required',
      'summary:required',
      'department:required',
      'address.district:required',
      'followUp.method:required',
    ]);
  });
});
