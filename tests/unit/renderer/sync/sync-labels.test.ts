import { describe, expect, it } from 'vitest';
import { syncErrorCodes, type SyncStatus } from '../../../../src-main/contract';
import { clockSkewText, describeSyncError, describeSyncStatus } from '../../../../src-renderer/features/sync/sync-labels';
import { translate, type MessageKey, type MessageParams } from '../../../../src-renderer/i18n';
import { formatClock } from '../../../../src-renderer/shared/format';

const zh = (key: MessageKey, params?: MessageParams) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params);

const offline: SyncStatus = {
  configured: true,
  platformUrl: 'https://platform.example',
  tokenHint: 'QUyo',
  queueLength: 3,
  failedCount: 1,
  lastContactAt: '2026-11-22T06:05:00.000Z',
  lastError: { code: 'PLATFORM_UNREACHABLE', message: 'the platform cannot be reached (ECONNREFUSED): is it running, and is the network up?' },
  clockSkewSeconds: -10_790,
  clockSkewWarning: true,
  state: 'offline',
};

describe('the sync status in words', () => {
  it('has words of its own for every error code, in both languages', () => {
    for (const code of syncErrorCodes) {
      const zhText = describeSyncError({ code, message: 'raw' }, zh);
      const enText = describeSyncError({ code, message: 'raw' }, en);
      expect(zhText).not.toBe('raw');
      expect(zhText).toMatch(/[\u4e00-\u9fff]/);
      expect(enText).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(describeSyncError({ code: 'PLATFORM_NOT_JSON', message: '' }, zh)).toContain('平台地址可能填错了');
  });

  it('tells the offline state, its reason, the queue, the last contact and the clock in the tooltip', () => {
    const lines = describeSyncStatus(offline, zh, 'zh-CN');
    expect(lines[0]).toContain('暂时连不上中心平台');
    expect(lines).toContain('原因：连不上中心平台（网络断开或平台未运行），会自动重试');
    expect(lines).toContain('待发送：3 件');
    expect(lines).toContain('发送失败：1 件');
    expect(lines.some((line) => line.startsWith('最后一次成功联系：'))).toBe(true);
    expect(lines).toContain('本机时钟与中心平台相差约 3 小时（本机偏慢），请联系信息科校准时间。工单照常发送。');
    expect(describeSyncStatus({ ...offline, configured: false, state: 'not-configured', queueLength: 0, failedCount: 0, lastError: null, clockSkewWarning: false }, en, 'en')[0]).toContain(
      'not set yet',
    );
  });

  it('says how far the clock is off in minutes or hours', () => {
    expect(clockSkewText(420, zh)).toContain('约 7 分钟（本机偏快）');
    expect(clockSkewText(-7_200, en)).toContain('about 2 hours (behind)');
  });

  it('shows the last contact as a time of day, with the date when it is not today', () => {
    const now = new Date(2026, 10, 22, 15, 0);
    expect(formatClock(new Date(2026, 10, 22, 9, 5).toISOString(), 'zh-CN', now)).toBe('09:05');
    expect(formatClock(new Date(2026, 10, 21, 23, 59).toISOString(), 'zh-CN', now)).toBe('11-21 23:59');
    expect(formatClock(new Date(2026, 10, 21, 23, 59).toISOString(), 'en', now)).toBe('21/11 23:59');
    expect(formatClock(null, 'en', now)).toBe('');
  });
});
