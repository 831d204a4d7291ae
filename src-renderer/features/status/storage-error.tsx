import { Button, Descriptions, Result } from 'antd';
import type { AppStatus } from '../../../src-main/contract';
import { useI18n, type MessageKey } from '../../i18n';

type StorageFailure = Extract<AppStatus['storage'], { state: 'error' }>;

const explanations: Record<string, { title: MessageKey; body: MessageKey }> = {
  STORAGE_LOCKED: { title: 'storage.locked.title', body: 'storage.locked.body' },
  STORAGE_CORRUPT: { title: 'storage.corrupt.title', body: 'storage.corrupt.body' },
  STORAGE_TOO_NEW: { title: 'storage.tooNew.title', body: 'storage.tooNew.body' },
  STORAGE_READ_ONLY: { title: 'storage.readOnly.title', body: 'storage.readOnly.body' },
  STORAGE_FULL: { title: 'storage.full.title', body: 'storage.full.body' },
};

/** The whole window, in plain words: what happened to the data and what to do about it. */
export function StorageErrorPage({ status, onRetry }: { status: AppStatus & { storage: StorageFailure }; onRetry: () => void }) {
  const { t } = useI18n();
  const { storage } = status;
  const explanation = explanations[storage.code] ?? { title: 'storage.other.title', body: 'storage.other.body' };
  return (
    <div className="hc-fullpage" data-testid="storage-error" data-error-code={storage.code}>
      <Result
        status={storage.code === 'STORAGE_CORRUPT' ? 'error' : 'warning'}
        title={<span data-testid="storage-error-title">{t(explanation.title)}</span>}
        subTitle={<span className="hc-result-body">{withCommandLineFlags(t(explanation.body))}</span>}
        extra={
          <Button type="primary" size="large" onClick={onRetry} data-testid="storage-retry">
            {t('status.retry')}
          </Button>
        }
      >
        <Descriptions
          column={1}
          bordered
          size="small"
          title={t('status.details')}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={[
            {
              key: 'path',
              label: t('status.databasePath'),
              children: <code data-testid="storage-error-path">{storage.databasePath}</code>,
            },
            { key: 'dir', label: t('status.dataDir'), children: <code>{status.dataDir}</code> },
            { key: 'code', label: t('status.errorCode'), children: <code>{storage.code}</code> },
            { key: 'message', label: t('status.message'), children: storage.message },
          ]}
        />
      </Result>
    </div>
  );
}

/** Shows flags such as `--data-dir` as code that never breaks across lines. */
function withCommandLineFlags(text: string) {
  return text.split(/(--[a-z][a-z-]*)/).map((part, index) =>
    part.startsWith('--') ? (
      <code key={index} className="hc-nowrap">
        {part}
      </code>
    ) : (
      part
    ),
  );
}
