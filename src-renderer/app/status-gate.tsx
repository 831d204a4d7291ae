import { Button, Result, Spin } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { AppStatus, ReferenceSnapshot } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { StorageErrorPage } from '../features/status/storage-error';
import { useI18n } from '../i18n';
import { describeError } from '../shared/use-error-reporter';
import { ConsoleShell } from './console-shell';

type Loaded =
  | { phase: 'loading' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'ready'; status: AppStatus; reference: ReferenceSnapshot | null };

/** Asks the main side how it is before showing any screen; a broken store gets the whole page. */
export function StatusGate() {
  const api = useApi();
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ phase: 'loading' });

  const load = useCallback(async (retryStorage = false) => {
    setLoaded({ phase: 'loading' });
    try {
      // After a storage failure the retry button asks the main side to open the database again.
      const status = await api.call(retryStorage ? 'app.retryStorage' : 'app.getStatus', {});
      if (status.storage.state === 'error') {
        setLoaded({ phase: 'ready', status, reference: null });
        return;
      }
      const reference = await api.call('reference.get', {});
      setLoaded({ phase: 'ready', status, reference });
    } catch (error) {
      setLoaded({ phase: 'failed', error });
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loaded.phase === 'loading') {
    return (
      <div className="hc-fullpage hc-center" data-testid="app-loading">
        <Spin size="large" />
        <p className="hc-muted">{t('status.loading')}</p>
      </div>
    );
  }
  if (loaded.phase === 'failed') {
    const { title, detail } = describeError(loaded.error, t);
    return (
      <div className="hc-fullpage" data-testid="app-unreachable">
        <Result
          status="warning"
          title={t('status.unreachableTitle')}
          subTitle={
            <>
              <p className="hc-result-body">{t('status.unreachableBody')}</p>
              <p className="hc-muted">
                {title} · {detail}
              </p>
            </>
          }
          extra={
            <Button type="primary" size="large" onClick={() => void load()} data-testid="status-retry">
              {t('status.retry')}
            </Button>
          }
        />
      </div>
    );
  }
  const { status, reference } = loaded;
  if (status.storage.state === 'error') {
    return <StorageErrorPage status={{ ...status, storage: status.storage }} onRetry={() => void load(true)} />;
  }
  return <ConsoleShell status={status} reference={reference ?? { categories: [], departments: [], urgencyLevels: [], serviceLevels: [] }} />;
}
