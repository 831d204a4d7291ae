import { describe, expect, it } from 'vitest';
import { extractPhoneNumbers } from '../../../../src-main/core/drafting/phone-extraction';
import { caller, operator } from '../../../support/transcript-lines';


describe('phone numbers from what the caller says', () => {
  it('reads written digits with pauses, and spoken ones (幺, 两, 洞, 拐)', () => {
    const written = caller('我的手机号是138 1234 5678，麻烦尽快处理');
    expect(extractPhoneNumbers([written])).toEqual([
      { value: '13812345678', kind: 'mobile', confidence: 0.9, evidence: [{ segmentId: written.id, start: 6, end: 19 }] },
    ]);
    const spoken = caller('电话是幺三九，两洞拐八，幺二三四');
    expect(extractPhoneNumbers([spoken])[0]).toMatchObject({ value: '13920781234', kind: 'mobile' });
    expect(extractPhoneNumbers([caller('座机零幺零六五幺二三四五六')])[0]).toMatchObject({ value: '01065123456', kind: 'landline' });
  });

  it('joins a number the caller spreads over several utterances, showing each part as evidence', () => {
    const first = caller('我电话是一三九');
    const second = caller('零一二三');
    const third = caller('四五六七');
    const [proposal] = extractPhoneNumbers([first, operator('您慢慢说'), second, third]);
    expect(proposal).toMatchObject({ value: '13901234567', kind: 'mobile' });
    expect(proposal?.evidence.map((evidence) => evidence.segmentId)).toEqual([first.id, second.id, third.id]);
    expect(proposal!.confidence).toBeLessThan(0.9);
  });

  it('takes the latest number when the caller corrects it, and keeps the earlier one as weak evidence', () => {
    const wrong = caller('号码是13912345678');
    const corrected = caller('不对不对，是13912345679');
    const proposals = extractPhoneNumbers([wrong, corrected]);
    expect(proposals.map((proposal) => proposal.value)).toEqual(['13912345679', '13912345678']);
    expect(proposals[0]!.confidence).toBeGreaterThan(proposals[1]!.confidence);
    expect(proposals[1]!.confidence).toBeLessThanOrEqual(0.3);
  });

  it('proposes nothing for numbers that are not phone numbers, the operator\'s words, or empty lines', () => {
    expect(extractPhoneNumbers([caller('我家住3号楼2单元501，已经三天没水了')])).toEqual([]);
    expect(extractPhoneNumbers([operator('请拨打12345转2号键'), caller('')])).toEqual([]);
    expect(extractPhoneNumbers([caller('一二三')])).toEqual([]);
    expect(extractPhoneNumbers([])).toEqual([]);
  });

  it('is less sure of a number said without saying it is a phone number', () => {
    const [plain] = extractPhoneNumbers([caller('13812345678')]);
    const [cued] = extractPhoneNumbers([caller('手机13812345678')]);
    expect(plain!.confidence).toBeLessThan(cued!.confidence);
  });
});
