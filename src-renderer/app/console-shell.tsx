import { SettingOutlined } from '@ant-design/icons';
import { Button, Segmented, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { AppStatus, ReferenceSnapshot } from '../../src-main/contract';
import { CasesScreen } from '../features/cases/cases-screen';
import { HotspotIndicator } from '../features/hotspots/hotspot-indicator';
import { LiveCallScreen } from '../features/live-call/live-call-screen';
import { SettingsDrawer } from '../features/settings/settings-drawer';
import { describeSpeechStatus, SpeechStatusProvider, speechHeaderKeys, speechStateColours, useSpeechStatus } from '../features/settings/speech-status';
import { ConnectionBanner } from '../features/status/connection-banner';
import { SyncBadge } from '../features/sync/sync-badge';
import { SyncStatusProvider } from '../features/sync/sync-status';
import { useI18n } from '../i18n';

type View = 'live' | 'cases';

/** The recogniser's state at a glance; the tooltip says what it means and what to do. */
function SpeechTag({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { t } = useI18n();
  const { status } = useSpeechStatus();
  return (
    <Tooltip title={describeSpeechStatus(status, t)}>
      <Tag
        color={speechStateColours[status.state]}
        variant="outlined"
        className="hc-speech-tag"
        data-testid="speech-state"
        data-state={status.state}
        data-model={status.model?.name ?? ''}
        role="button"
        tabIndex={0}
        onClick={onOpenSettings}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onOpenSettings();
          }
        }}
      >
        {t(speechHeaderKeys[status.state])}
      </Tag>
    </Tooltip>
  );
}

export function ConsoleShell({ status, reference }: { status: AppStatus; reference: ReferenceSnapshot }) {
  const { t, locale, setLocale } = useI18n();
  const [view, setView] = useState<View>('live');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [settingsSection, setSettingsSection] = useState<'platform' | null>(null);
  const openSettings = () => {
    setSettingsSection(null);
    setSettingsOpen(true);
  };
  const openPlatformSettings = () => {
    setSettingsSection('platform');
    setSettingsOpen(true);
  };

  // Ctrl+, opens Settings from anywhere, as in most desktop programs.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || !(event.ctrlKey || event.metaKey) || event.altKey || event.key !== ',') return;
      event.preventDefault();
      setSettingsOpen(true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <SpeechStatusProvider initial={status.speech}>
      <SyncStatusProvider>
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
              <SpeechTag onOpenSettings={openSettings} />
              <SyncBadge onOpenSettings={openPlatformSettings} />
            </div>
            <HotspotIndicator />
            <Button icon={<SettingOutlined />} onClick={openSettings} title={t('header.settingsHint')} data-testid="open-settings">
              {t('header.settings')}
            </Button>
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
            <LiveCallScreen visible={view === 'live'} onShow={() => setView('live')} reference={reference} onOpenSettings={openSettings} />
            <CasesScreen visible={view === 'cases'} />
          </main>
          <SettingsDrawer open={settingsOpen} onClose={() => setSettingsOpen(false)} section={settingsSection} />
        </div>
      </SyncStatusProvider>
    </SpeechStatusProvider>
  );
}
