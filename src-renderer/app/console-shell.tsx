import { Button, Segmented, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import type { AppStatus, ReferenceSnapshot } from '../../src-main/contract';
import { CasesScreen } from '../features/cases/cases-screen';
import { LiveCallScreen } from '../features/live-call/live-call-screen';
import { ConnectionBanner } from '../features/status/connection-banner';
import { useI18n } from '../i18n';

type View = 'live' | 'cases';

export function ConsoleShell({ status, reference }: { status: AppStatus; reference: ReferenceSnapshot }) {
  const { t, locale, setLocale } = useI18n();
  const [view, setView] = useState<View>('live');

  return (
    <div className="hc-app">
      <header className="hc-header" data-testid="app-header">
        <div className="hc-header__brand">{t('app.title')}</div>
        <Segmented<View>
          size="large"
          value={view}
          onChange={setView}
          data-testid="nav"
          options={[
            { value: 'live', label: <span data-testid="nav-live">{t('nav.liveCall')}</span> },
            { value: 'cases', label: <span data-testid="nav-cases">{t('nav.cases')}</span> },
          ]}
        />
        <div className="hc-header__spacer" />
        <div className="hc-header__facts">
          <span>
            <span className="hc-muted">{t('header.station')} </span>
            <strong data-testid="station-code">{status.stationCode}</strong>
          </span>
          <span>
            <span className="hc-muted">{t('header.operator')} </span>
            <strong data-testid="operator-name">{status.operatorName}</strong>
          </span>
          <Tooltip title={status.speech.message}>
            <Tag color="orange" variant="outlined" className="hc-speech-tag" data-testid="speech-state" data-state={status.speech.state}>
              {t('header.speechUnavailable')}
            </Tag>
          </Tooltip>
        </div>
        <Button
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
          title={t('header.languageHint')}
          lang={locale === 'en' ? 'zh-CN' : 'en'}
          data-testid="language-toggle"
        >
          {t('header.languageToggle')}
        </Button>
      </header>
      <ConnectionBanner />
      <main className="hc-main">
        <LiveCallScreen visible={view === 'live'} onShow={() => setView('live')} reference={reference} />
        <CasesScreen visible={view === 'cases'} />
      </main>
    </div>
  );
}
