import { App as AntApp, ConfigProvider } from 'antd';
import type { ApiClient } from '../api/client';
import { ApiProvider } from '../api/api-context';
import { I18nProvider, useI18n } from '../i18n';
import { StatusGate } from './status-gate';
import { theme } from './theme';

function LocalisedApp() {
  const { antdLocale } = useI18n();
  return (
    <ConfigProvider locale={antdLocale} theme={theme} wave={{ disabled: true }} button={{ autoInsertSpace: false }}>
      <AntApp className="hc-root" notification={{ placement: 'topRight', top: 72 }} message={{ top: 72 }}>
        <StatusGate />
      </AntApp>
    </ConfigProvider>
  );
}

export function App({ client }: { client: ApiClient }) {
  return (
    <I18nProvider>
      <ApiProvider client={client}>
        <LocalisedApp />
      </ApiProvider>
    </I18nProvider>
  );
}
