import { beforeAll, describe, expect, it } from 'vitest';
import { addressLabel, estateKey, extractAddress, normaliseSpokenNumber } from '../../../../src-main/core/drafting/address-extraction';
import type { TranscriptLine } from '../../../../src-main/core/drafting/phone-extraction';
import { loadReferenceData, type ReferenceData } from '../../../../src-main/core/reference';
import type { PlaceGazetteer } from '../../../../src-main/core/reference/division-index';
import { resourcesDir } from '../../../support/temp-console';
import { caller, operator, sampleCallLines } from '../../../support/transcript-lines';

let reference: ReferenceData;
let places: PlaceGazetteer;

beforeAll(async () => {
  reference = await loadReferenceData(resourcesDir, { preferredRegionCode: '11' });
  places = reference.places;
});

const linesOfSampleCall = (id: string) => sampleCallLines(reference, id);
/** The words each evidence span covers, to check the spans against the transcript. */
const evidenceWords = (lines: readonly TranscriptLine[], evidence: readonly { segmentId: string; start: number; end: number }[]) =>
  evidence.map((span) => lines.find((line) => line.id === span.segmentId)?.text.slice(span.start, span.end));

describe('the sample calls', () => {
  // Written by hand from reading each transcript in resources/sample-calls.
  const expected = [
    { call: 'anonymous-report', district: '昌平区', street: '回龙观街道', estate: '龙锦东苑', detail: '6号楼1单元102', divisionCode: '110114011' },
    { call: 'elevator-out-of-service', district: '朝阳区', street: '望京街道', estate: '望湖新苑', detail: '7号楼2单元', divisionCode: '110105026' },
    { call: 'gas-leak', district: '东城区', street: '和平里街道', estate: '和平里七区', detail: '15号楼3单元301', divisionCode: '110101010' },
    // The site lies north of the estate; "我住在小区3号楼" is the caller's home, not the matter's place.
    { call: 'night-construction-noise', district: '海淀区', street: '学院路街道', estate: '学苑嘉园', detail: '', divisionCode: '110108010' },
    // Only in the operator's read-back of the earlier case, which the caller affirms.
    { call: 'repeat-caller', district: '石景山区', street: '八角街道', estate: '杨庄小区', detail: '', divisionCode: '110107003' },
    { call: 'social-insurance-question', district: '西城区', street: '展览路街道', estate: '', detail: '', divisionCode: '110102009' },
    // 新村街道 is a street name in several provinces; said with 丰台区 it is Beijing's.
    { call: 'unpaid-wages', district: '丰台区', street: '新村街道', estate: '', detail: '', divisionCode: '110106010' },
    { call: 'water-cut', district: '丰台区', street: '方庄街道', estate: '芳城园一区', detail: '12号楼', divisionCode: '110106013' },
  ];

  it('covers every sample call in resources', () => {
    expect(reference.sampleCalls.map((call) => call.id).sort()).toEqual(expected.map((entry) => entry.call).sort());
  });

  it.each(expected)('standardises the address of $call', ({ call, ...address }) => {
    const lines = linesOfSampleCall(call);
    const proposal = extractAddress(lines, places);
    expect(proposal?.value).toEqual({ ...address, community: '', city: '北京市', province: '北京市', outsideRegion: false });
    // District and street said together and consistent: a confident proposal.
    expect(proposal?.confidence).toBeGreaterThanOrEqual(0.55);
    for (const words of evidenceWords(lines, proposal?.evidence ?? [])) expect(words).toMatch(/\S/u);
  });

  it('rests the gas-leak address on the words of each part, spoken numbers included', () => {
    const lines = linesOfSampleCall('gas-leak');
    const words = evidenceWords(lines, extractAddress(lines, places)?.evidence ?? []);
    expect(words).toEqual(expect.arrayContaining(['东城区', '和平里街道', '和平里七区', '十五号楼', '三单元', '15号楼', '3单元', '301']));
  });

  it('is surer where the caller affirmed the read-back than where the read-back went unanswered', () => {
    const gasLeak = extractAddress(linesOfSampleCall('gas-leak'), places);
    const waterCut = extractAddress(linesOfSampleCall('water-cut'), places);
    expect(gasLeak?.confidence).toBeGreaterThan(waterCut?.confidence ?? 1);
  });
});

describe('spoken numbers', () => {
  it.each([
    ['十五', '15'],
    ['二十三', '23'],
    ['十', '10'],
    ['一百零二', '102'],
    ['三零一', '301'],
    ['三〇一', '301'],
    ['幺零二', '102'],
    ['两千零一', '2001'],
    ['１２', '12'],
    ['302', '302'],
  ])('reads %s as %s', (said, digits) => {
    expect(normaliseSpokenNumber(said)).toBe(digits);
  });

  it('reads nothing from words that are not numbers', () => {
    expect(normaliseSpokenNumber('')).toBeNull();
    expect(normaliseSpokenNumber('十五楼')).toBeNull();
  });

  it('writes building, unit and room as digits in the detail', () => {
    const detail = (text: string) => extractAddress([caller(text)], places)?.value.detail;
    expect(detail('丰台区方庄街道芳城园一区，二十三号楼，二单元，三〇一')).toBe('23号楼2单元301');
    expect(detail('东城区和平里街道和平里七区十五号楼三单元幺零二室')).toBe('15号楼3单元102');
    expect(detail('东城区和平里街道和平里七区二十三号')).toBe('23号');
    expect(detail('朝阳区望京街道望湖新苑十二栋')).toBe('12栋');
  });

  it('does not take "a building" or a floor for a building number', () => {
    const proposal = extractAddress([caller('朝阳区望京街道望湖新苑，一栋楼都停电了，我住三楼')], places);
    expect(proposal?.value.detail).toBe('');
  });
});

describe('corrections and read-backs', () => {
  it('takes the caller at their correction: the later building, and the unit said with it', () => {
    const proposal = extractAddress([caller('朝阳区望京街道望湖新苑7号楼3单元'), caller('哦不对，是8号楼2单元')], places);
    expect(proposal?.value).toMatchObject({ estate: '望湖新苑', detail: '8号楼2单元' });
  });

  it('drops the unit of a corrected building when the new one comes without a unit', () => {
    const proposal = extractAddress([caller('望京街道望湖新苑7号楼3单元'), caller('说错了，8号楼')], places);
    expect(proposal?.value.detail).toBe('8号楼');
  });

  it('takes a corrected district and street', () => {
    const proposal = extractAddress([caller('朝阳区望京街道'), caller('不对，是海淀区学院路街道')], places);
    expect(proposal?.value).toMatchObject({ district: '海淀区', street: '学院路街道', divisionCode: '110108010' });
    const denied = extractAddress([caller('不是朝阳区，是海淀区学院路街道')], places);
    expect(denied?.value.district).toBe('海淀区');
  });

  it("takes the caller's answer when they do not affirm the operator's read-back", () => {
    const proposal = extractAddress(
      [caller('朝阳区望京街道望湖新苑7号楼'), operator('望湖新苑7号楼，对吗？'), caller('8号楼，8号楼2单元')],
      places,
    );
    expect(proposal?.value.detail).toBe('8号楼2单元');
  });

  it('keeps the place of the matter when the caller later mentions another one in passing', () => {
    const proposal = extractAddress(
      [caller('朝阳区望京街道望湖新苑7号楼停电了'), caller('我去隔壁的望京花园看了，他们那边有电')],
      places,
    );
    expect(proposal?.value).toMatchObject({ estate: '望湖新苑', detail: '7号楼' });
  });

  it("raises the confidence when the caller affirms the operator's read-back, and cites it", () => {
    const said = caller('丰台区方庄街道芳城园一区12号楼');
    const readBack = operator('丰台区方庄街道芳城园一区12号楼，对吗？');
    const affirmed = caller('对');
    const alone = extractAddress([said], places);
    const confirmed = extractAddress([said, readBack, affirmed], places);
    expect(confirmed?.value).toEqual(alone?.value);
    expect(confirmed?.confidence).toBeGreaterThan(alone?.confidence ?? 1);
    expect(confirmed?.evidence.some((span) => span.segmentId === readBack.id)).toBe(true);
  });

  it("ignores the operator's words that the caller did not affirm", () => {
    const proposal = extractAddress([operator('您是在朝阳区望京街道吗？'), caller('不是')], places);
    expect(proposal).toBeNull();
  });
});

describe('places resolved through the administrative divisions', () => {
  it('resolves a street said alone to its district and city where the name is unique in the region', () => {
    const proposal = extractAddress([caller('我住在望京街道')], places);
    expect(proposal?.value).toMatchObject({ district: '朝阳区', street: '望京街道', city: '北京市', divisionCode: '110105026', outsideRegion: false });
    // 学院路街道 is also a street of 哈尔滨; the console serves Beijing.
    expect(extractAddress([caller('学院路街道这边')], places)?.value).toMatchObject({ district: '海淀区', divisionCode: '110108010' });
  });

  it('keeps only the city for a street name found twice in the region, with low confidence', () => {
    const proposal = extractAddress([caller('我住在八里庄街道')], places);
    expect(proposal?.value).toMatchObject({ district: '', street: '八里庄街道', city: '北京市', divisionCode: null });
    expect(proposal?.confidence).toBeLessThanOrEqual(0.2);
  });

  it('flags a place outside the city the console serves, with low confidence', () => {
    const proposal = extractAddress([caller('我在上海市浦东新区张江镇碧云路100号，这边路灯坏了')], places);
    expect(proposal?.value).toMatchObject({
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      street: '张江镇',
      detail: '碧云路100号',
      outsideRegion: true,
    });
    expect(proposal?.confidence).toBeLessThanOrEqual(0.4);
  });

  it('does not take an estate named like a street elsewhere in China for that street', () => {
    // 工人新村 is a street of 唐山; in a Beijing call it is an estate.
    const proposal = extractAddress([caller('我住在工人新村')], places);
    expect(proposal?.value).toMatchObject({ estate: '工人新村', district: '', divisionCode: null, outsideRegion: false });
  });

  it('resolves a street whose name is said right before the estate (回龙观龙锦东苑)', () => {
    const proposal = extractAddress([caller('我家住在回龙观龙锦东苑')], places);
    expect(proposal?.value).toMatchObject({ district: '昌平区', street: '回龙观街道', estate: '龙锦东苑', divisionCode: '110114011' });
    // 向阳小区 is one name, even though 向阳 is also the stem of a Beijing town.
    expect(extractAddress([caller('我住在向阳小区')], places)?.value).toMatchObject({ estate: '向阳小区', divisionCode: null });
  });

  it('puts a road and house number in the detail when there is no estate', () => {
    const proposal = extractAddress([caller('海淀区中关村大街二十七号门口')], places);
    expect(proposal?.value).toMatchObject({ district: '海淀区', community: '', estate: '', detail: '中关村大街27号' });
    expect(estateKey(proposal?.value ?? { district: '', street: '', community: '', estate: '', detail: '' })).toBe('road:中关村大街');
  });

  it('does not read the start of an estate or road name as a street (和平里七区, 八角北路)', () => {
    const mentions = places.findPlaces('东城区和平里街道，和平里七区；石景山区八角北路').map((mention) => mention.text);
    expect(mentions).toEqual(['东城区', '和平里街道', '石景山区']);
    expect(places.findPlaces('我家在望京那边').map((mention) => mention.text)).toEqual(['望京']);
    expect(places.findPlaces('回龙观镇').map((mention) => ({ text: mention.text, withSuffix: mention.withSuffix }))).toEqual([
      { text: '回龙观镇', withSuffix: true },
    ]);
  });

  it('finds the places of a long transcript quickly', () => {
    const text = '喂你好，我们这边从早上就停水了，'.repeat(100) + '朝阳区望京街道望湖新苑';
    const started = performance.now();
    for (let round = 0; round < 20; round += 1) places.findPlaces(text);
    expect(places.findPlaces(text).map((mention) => mention.text)).toEqual(['朝阳区', '望京街道']);
    expect((performance.now() - started) / 20).toBeLessThan(20);
  });
});

describe('what is no address', () => {
  it('gives nothing for an empty transcript, English, or words naming no place', () => {
    expect(extractAddress([], places)).toBeNull();
    expect(extractAddress([caller('')], places)).toBeNull();
    expect(extractAddress([caller('I live in Chaoyang district, building 15')], places)).toBeNull();
    expect(extractAddress([caller('你好')], places)).toBeNull();
    expect(extractAddress([caller('我们小区的电梯坏了，3号楼')], places)).toBeNull();
  });

  it('gives a one-word mention of a district no more than low confidence', () => {
    const proposal = extractAddress([caller('朝阳')], places);
    expect(proposal?.value.district).toBe('朝阳区');
    expect(proposal?.confidence).toBeLessThanOrEqual(0.3);
  });
});

describe('written messages with anonymised places', () => {
  // Written in the style of the published citizen messages, whose cities are anonymised (A市, A3区).
  const message = (title: string, body: string): TranscriptLine[] => [
    { id: 'title', speaker: 'caller', text: title },
    { id: 'body', speaker: 'caller', text: body },
  ];

  it('keeps the district as written, with the estate and detail, but resolves nothing', () => {
    const proposal = extractAddress(
      message('A3区一家影楼是否依法纳税', '位于A市A3区联丰路米兰春天G2栋320的一家影楼，营业额很大，请税务部门查一下。'),
      places,
    );
    expect(proposal?.value).toMatchObject({ district: 'A3区', estate: '米兰春天', detail: 'G2栋320', divisionCode: null, city: '', outsideRegion: false });
    expect(proposal?.confidence).toBeLessThanOrEqual(0.35);
  });

  it('does not resolve a real street name found in anonymised text', () => {
    const proposal = extractAddress(message('小区门口积水', 'A市A2区桂花坪街道的景蓉华苑小区门口一下雨就积水。'), places);
    expect(proposal?.value).toMatchObject({ district: 'A2区', street: '桂花坪街道', estate: '景蓉华苑', divisionCode: null, province: '' });
    expect(proposal?.confidence).toBeLessThanOrEqual(0.35);
  });

  it("takes the title's place as the subject when the body goes on to other places", () => {
    const proposal = extractAddress(
      message('A5区劳动东路魅力之城小区油烟扰民', '魅力之城小区临街门面油烟直排，隔壁阳光城尚东湾也受影响。'),
      places,
    );
    expect(proposal?.value.estate).toBe('魅力之城');
  });
});

describe('the key of a place', () => {
  const parts = (estate: string, extra: Partial<{ district: string; street: string; community: string; detail: string }> = {}) => ({
    district: '',
    street: '',
    community: '',
    detail: '',
    estate,
    ...extra,
  });

  it('names an estate alike however it is written', () => {
    expect(estateKey(parts('万科魅力之城'))).toBe('estate:魅力之城');
    expect(estateKey(parts('魅力之城小区', { district: 'A5区' }))).toBe('estate:魅力之城');
    expect(estateKey(parts('伊景园·滨河苑'))).toBe('estate:伊景园滨河苑');
    expect(estateKey(parts('', { community: '丽发新城社区' }))).toBe('estate:丽发新城');
  });

  it('falls back to the road leading the detail, then to the street, then to nothing', () => {
    expect(estateKey(parts('', { detail: '清华东路100号' }))).toBe('road:清华东路');
    expect(estateKey(parts('', { district: '海淀区', street: '学院路街道' }))).toBe('street:海淀区学院路街道');
    expect(estateKey(parts(''))).toBeNull();
  });

  it('gives the same key for a call and for the case stored from it', () => {
    const proposal = extractAddress(linesOfSampleCall('gas-leak'), places);
    if (!proposal) throw new Error('no address');
    const { district, street, community, estate, detail } = proposal.value;
    expect(estateKey({ district, street, community, estate, detail })).toBe(estateKey(proposal.value));
    expect(estateKey(proposal.value)).toBe('estate:和平里七区');
    expect(addressLabel(proposal.value)).toBe('东城区和平里街道和平里七区');
  });
});
