import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addressLabel, estateKey, extractAddress } from '../../../src-main/core/drafting/address-extraction';
import { findHotspots, type Hotspot, type HotspotCase } from '../../../src-main/core/drafting/hotspots';
import { loadReferenceData } from '../../../src-main/core/reference';
import { sharedDataDir } from '../../support/shared-data';
import { resourcesDir } from '../../support/temp-console';

// Real citizen messages (2020 TipDM Cup, problem C, hotspot mining), read from the shared data
// folder: their cities are anonymised (A市, A5区), and several concern one estate within days.
interface Message {
  id: number;
  title?: string;
  body?: string;
  /** Local time of the province, "2019-08-01 20:06:52". */
  time?: string;
}

let messageCount = 0;
let proposalCount = 0;
let highestConfidence = 0;
let hotspots: Hotspot[] = [];
let clusters: Hotspot[] = [];

beforeAll(async () => {
  const reference = await loadReferenceData(resourcesDir, { preferredRegionCode: '11' });
  const text = await readFile(join(sharedDataDir, 'tipdm-hotspot.jsonl'), 'utf8');
  const messages = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Message);
  messageCount = messages.length;
  const cases: HotspotCase[] = [];
  for (const message of messages) {
    const lines = [
      { id: 'title', speaker: 'caller' as const, text: message.title ?? '' },
      { id: 'body', speaker: 'caller' as const, text: message.body ?? '' },
    ].filter((line) => line.text !== '');
    const address = extractAddress(lines, reference.places);
    if (address) {
      proposalCount += 1;
      highestConfidence = Math.max(highestConfidence, address.confidence);
    }
    if (!message.time) continue;
    cases.push({
      id: String(message.id),
      occurredAt: `${message.time.replace(' ', 'T')}+08:00`,
      placeKey: address ? estateKey(address.value) : null,
      placeLabel: address ? addressLabel(address.value) : '',
      // The hotspot data carries no category: cases cluster by place alone.
      category: null,
    });
  }
  hotspots = findHotspots(cases);
  clusters = hotspots.filter((hotspot) => hotspot.kind === 'cluster');
}, 120_000);

const clustersAt = (placeKey: string) => clusters.filter((cluster) => cluster.placeKey === placeKey);

describe('places in the published citizen messages', () => {
  it('finds a place in nearly every message, and is never confident about anonymised places', () => {
    expect(messageCount).toBe(4326);
    expect(proposalCount / messageCount).toBeGreaterThan(0.9);
    // No real district can be verified in anonymised text (A市A5区): every proposal stays low.
    expect(highestConfidence).toBeLessThanOrEqual(0.4);
  });
});

describe('hotspots in the published citizen messages', () => {
  it('finds the car-park bundling at 伊景园滨河苑 (summer 2019) as one large cluster', () => {
    const [cluster, ...others] = clustersAt('estate:伊景园滨河苑');
    expect(others).toEqual([]);
    expect(cluster?.count).toBeGreaterThanOrEqual(40);
    expect(cluster?.firstAt.slice(0, 7)).toBe('2019-07');
    expect(cluster?.lastAt.slice(0, 7)).toBe('2019-09');
  });

  it('finds the mixing plant beside 丽发新城 (winter 2019) as one large cluster', () => {
    const [cluster, ...others] = clustersAt('estate:丽发新城');
    expect(others).toEqual([]);
    expect(cluster?.count).toBeGreaterThanOrEqual(40);
    expect(cluster?.firstAt.slice(0, 7)).toBe('2019-11');
    expect(cluster?.lastAt.slice(0, 7)).toBe('2020-01');
  });

  it('finds the shop fumes at 魅力之城 in A5区 in waves through summer 2019', () => {
    const summer = clustersAt('estate:魅力之城').filter((cluster) => cluster.firstAt >= '2019-07-01' && cluster.lastAt < '2019-09-30');
    expect(summer.length).toBeGreaterThanOrEqual(2);
    expect(summer.reduce((sum, cluster) => sum + cluster.count, 0)).toBeGreaterThanOrEqual(12);
    expect(summer.some((cluster) => cluster.placeLabel.includes('A5区'))).toBe(true);
  });

  it('ranks those two first and finds a plausible number of clusters, not one per message', () => {
    const largest = [...clusters].sort((a, b) => b.count - a.count).slice(0, 2).map((cluster) => cluster.placeKey);
    expect(largest.sort()).toEqual(['estate:丽发新城', 'estate:伊景园滨河苑']);
    expect(clusters.length).toBeGreaterThanOrEqual(10);
    expect(clusters.length).toBeLessThanOrEqual(100);
    const clustered = clusters.reduce((sum, cluster) => sum + cluster.count, 0);
    expect(clustered / messageCount).toBeLessThan(0.1);
  });

  it('finds few surges once the data is dense (it starts in earnest in January 2019)', () => {
    const surgeDays = new Set(
      hotspots.filter((hotspot) => hotspot.kind === 'surge' && hotspot.lastAt >= '2019-02-01').map((hotspot) => hotspot.lastAt.slice(0, 10)),
    );
    expect(surgeDays.size).toBeLessThan(10);
  });
});
