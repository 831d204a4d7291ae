import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UrgencyLevel } from '../../../../src-main/contract';
import { extractAnonymityRequest, extractAppealType, extractCallerName, extractUrgency } from '../../../../src-main/core/drafting/caller-cues';
import { resourcesDir } from '../../../support/temp-console';
import { caller, operator } from '../../../support/transcript-lines';

const cues = (JSON.parse(readFileSync(join(resourcesDir, 'urgency-cues.json'), 'utf8')) as { levels: { level: UrgencyLevel; words: string[] }[] }).levels;

describe("the caller's name", () => {
  it('takes a surname, a compound surname, or a full name as the caller gives it', () => {
    const surname = caller('您好，我姓王，住在望京');
    expect(extractCallerName([surname])).toEqual({
      value: { surname: '王', fullName: null, title: null },
      confidence: 0.85,
      evidence: [{ segmentId: surname.id, start: 5, end: 6 }],
    });
    expect(extractCallerName([caller('免贵姓欧阳')])?.value.surname).toBe('欧阳');
    expect(extractCallerName([caller('我叫张伟，是这个小区的')])?.value).toEqual({ surname: '张', fullName: '张伟', title: null });
  });

  it('takes the courtesy title from the caller, or from the operator saying it back', () => {
    expect(extractCallerName([caller('我是李女士，想反映个问题')])?.value).toMatchObject({ surname: '李', title: '女士' });
    const said = caller('我姓陈');
    const back = operator('陈先生您好，请讲');
    const proposal = extractCallerName([said, back]);
    expect(proposal?.value).toMatchObject({ surname: '陈', title: '先生' });
    expect(proposal?.evidence.map((evidence) => evidence.segmentId)).toEqual([said.id, back.id]);
  });

  it('proposes no name where none was given, and never a role for a name', () => {
    expect(extractCallerName([caller('我是业主，物业不管事')])).toBeNull();
    expect(extractCallerName([caller('楼下一直在施工'), operator('好的，我记录一下')])).toBeNull();
    expect(extractCallerName([])).toBeNull();
  });
});

describe('anonymity', () => {
  it('hears a caller asking not to be named', () => {
    for (const text of ['我不想留名字', '这个事情请帮我保密', '能匿名反映吗', '不要说是我打的电话']) {
      expect(extractAnonymityRequest([caller(text)])?.value).toBe(true);
    }
    expect(extractAnonymityRequest([caller('我姓王，电话13812345678')])).toBeNull();
  });
});

describe('urgency', () => {
  it('proposes the most urgent level any cue reaches, with every cue of it as evidence', () => {
    const gas = caller('楼道里煤气味特别大');
    const more = caller('好像是燃气泄漏了');
    const proposal = extractUrgency([caller('物业也不管'), gas, more], cues);
    expect(proposal?.value).toBe('极急');
    expect(proposal?.evidence.map((evidence) => evidence.segmentId)).toEqual([gas.id, more.id]);
    expect(proposal!.confidence).toBeGreaterThan(extractUrgency([gas], cues)!.confidence);
  });

  it('does not count a cue said in the negative, nor the operator\'s words', () => {
    expect(extractUrgency([caller('没有着火，就是停水了')], cues)?.value).toBe('急办');
    expect(extractUrgency([operator('如果闻到燃气味请立即开窗'), caller('好的我就是想问一下社保')], cues)?.value).toBe('常规');
    expect(extractUrgency([caller('你好')], cues)).toBeNull();
  });

  it('does not count a danger the caller only fears', () => {
    expect(extractUrgency([caller('楼道里堆满了电动车，我们特别担心着火')], cues)?.value).not.toBe('极急');
    expect(extractUrgency([caller('万一塌了砸到人怎么办')], cues)).toBeNull();
  });

  it('lets a dispute outrank the routine words it comes with', () => {
    expect(extractUrgency([caller('社保的事跟公司协商不成，我想申请劳动仲裁')], cues)?.value).toBe('争议');
  });

  it('counts a cue the caller asks about ("是不是燃气泄漏了") as said', () => {
    const asked = caller('楼道里是不是燃气泄漏了');
    const proposal = extractUrgency([asked], cues);
    expect(proposal?.value).toBe('极急');
    expect(proposal?.evidence.map(({ start, end }) => asked.text.slice(start, end))).toContain('燃气泄漏');
  });
});

describe('appeal type', () => {
  it('follows the type the caller names, over words that only suggest another', () => {
    const named = caller('我要投诉这个物业，问了好几次都不处理');
    const proposal = extractAppealType([caller('请问一下'), named]);
    expect(proposal?.value).toBe('投诉');
    expect(proposal?.evidence.every((evidence) => evidence.segmentId === named.id)).toBe(true);
    expect(extractAppealType([caller('我想举报旁边工厂晚上偷排废水')])?.value).toBe('举报');
    expect(extractAppealType([caller('想问一下社保转移需要什么材料')])?.value).toBe('咨询');
    expect(extractAppealType([caller('特别感谢你们，我要表扬一下街道的工作人员')])?.value).toBe('表扬');
  });

  it('is less sure when the words point several ways, and says nothing without a cue', () => {
    const clear = extractAppealType([caller('我要举报违法建设')]);
    const mixed = extractAppealType([caller('我想咨询一下，顺便投诉物业不作为')]);
    expect(mixed!.confidence).toBeLessThan(clear!.confidence);
    expect(extractAppealType([caller('你好'), operator('请问您要咨询什么')])).toBeNull();
  });
});
