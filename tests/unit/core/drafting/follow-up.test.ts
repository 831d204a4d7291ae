import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFollowUp } from '../../../../src-main/core/drafting/follow-up';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';
import { caller, operator, sampleCallLines } from '../../../support/transcript-lines';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));

let reference: ReferenceData;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir);
});


const sampleLines = (id: string) => sampleCallLines(reference, id);

describe("the caller's follow-up wish", () => {
  it('hears a wish to be called back, with the words and the clause they were said in', () => {
    const line = caller('麻烦处理完给我回个电话，下午五点以后');
    const proposal = extractFollowUp([caller('我们小区路灯坏了'), line]);
    expect(proposal?.value).toEqual({ wanted: true, method: 'phone', note: '麻烦处理完给我回个电话，下午五点以后' });
    expect(proposal?.evidence).toEqual([{ segmentId: line.id, start: 5, end: 11 }]);
    expect(proposal!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(extractFollowUp([caller('给我回个电话，我们楼停水了')])?.value.note).toBe('给我回个电话');
  });

  it('tells a text message from a call, and takes a reply without a method as a call', () => {
    for (const text of ['短信告诉我就行', '结果发个短信给我', '用短信通知我吧']) {
      expect(extractFollowUp([caller(text)])?.value, text).toMatchObject({ wanted: true, method: 'sms' });
    }
    for (const text of ['需要回复', '处理完告诉我一声', '有结果了通知我', '希望给我个答复']) {
      expect(extractFollowUp([caller(text)])?.value, text).toMatchObject({ wanted: true, method: 'phone' });
    }
    // Less sure without the method said.
    expect(extractFollowUp([caller('处理完告诉我')])!.confidence).toBeLessThan(extractFollowUp([caller('给我回个电话')])!.confidence);
  });

  it('hears a wish not to be contacted, negations included', () => {
    for (const text of ['不用回访了', '不需要回电', '不需要回复', '不用给我回电话', '别给我打电话', '那电话就不留了', '你们不用通知我', '我不想要回复']) {
      const proposal = extractFollowUp([caller(text)]);
      expect(proposal?.value, text).toMatchObject({ wanted: false, method: 'none' });
    }
  });

  it('takes the latest word when the caller changes their mind', () => {
    expect(extractFollowUp([caller('处理完给我回个电话'), caller('算了，不用回访了')])?.value).toMatchObject({ wanted: false, method: 'none' });
    expect(extractFollowUp([caller('不用回访'), caller('哦不，还是短信告诉我吧')])?.value).toMatchObject({ wanted: true, method: 'sms' });
    expect(extractFollowUp([caller('别给我打电话，发短信就行')])?.value).toMatchObject({ wanted: true, method: 'sms' });
  });

  it("reads a short answer to the operator's question about a reply", () => {
    const answer = caller('要，谢谢');
    const proposal = extractFollowUp([operator('处理结果需要给您回复吗？'), answer]);
    expect(proposal).toMatchObject({ value: { wanted: true, method: 'phone', note: '' }, evidence: [{ segmentId: answer.id, start: 0, end: 1 }] });
    expect(proposal!.confidence).toBeLessThan(0.7);
    expect(extractFollowUp([operator('处理结果用短信通知您可以吗？'), caller('可以')])?.value).toMatchObject({ wanted: true, method: 'sms' });
    expect(extractFollowUp([operator('需要回访吗？'), caller('不用了')])?.value).toMatchObject({ wanted: false, method: 'none' });
    // A number checked for the crew is not a question about a reply.
    expect(extractFollowUp([operator('您的联系电话是这个号码吗？抢修人员会联系您。'), caller('对')])).toBeNull();
  });

  it("does not take the operator's own words for the caller's wish", () => {
    expect(extractFollowUp([operator('处理完给您回个电话'), caller('好的谢谢')])).toBeNull();
    expect(extractFollowUp([operator('不用给我回电话')])).toBeNull();
  });
});

describe('the sample calls', () => {
  it('find the anonymous caller declining to leave a number, and nothing where the call never touches on it', () => {
    const lines = sampleLines('anonymous-report');
    const proposal = extractFollowUp(lines);
    expect(proposal?.value).toMatchObject({ wanted: false, method: 'none' });
    const evidence = proposal!.evidence[0]!;
    expect(lines.find((line) => line.id === evidence.segmentId)!.text.slice(evidence.start, evidence.end)).toContain('不留');
    for (const id of ['gas-leak', 'water-cut', 'unpaid-wages', 'elevator-out-of-service', 'night-construction-noise', 'social-insurance-question', 'repeat-caller']) {
      expect(extractFollowUp(sampleLines(id)), id).toBeNull();
    }
  });
});

describe('bad input', () => {
  it('proposes nothing and does not fail', () => {
    for (const lines of [[], [caller('')], [caller('喂')], [caller('please call me back')], [caller('俺寻思着回头再说吧')], [operator('？')]]) {
      expect(extractFollowUp(lines)).toBeNull();
    }
  });
});
