import { Drawer } from 'antd';
import { useI18n } from '../../i18n';
import { CategoryModelSettings } from './category-model-settings';
import { DeviceSettings } from './device-settings';
import { SpeechModelSettings } from './speech-model-settings';
import { PlatformSettings } from '../sync/platform-settings';

/**
 * Audio inputs, the speech model, the category model and the central platform. Its contents exist only while it is
 * open, so that the level meters hold the devices only while someone is looking at them. `section` scrolls to one
 * part and focuses it (the header's sync badge opens the platform's).
 */
export function SettingsDrawer({ open, onClose, section = null }: { open: boolean; onClose: () => void; section?: 'platform' | null }) {
  const { t } = useI18n();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={t('settings.title')}
      closable={{ 'aria-label': t('common.close') }}
      data-testid="settings-drawer"
      rootClassName="hc-settings"
    >
      <DeviceSettings />
      <SpeechModelSettings />
      <CategoryModelSettings />
      <PlatformSettings autoFocus={section === 'platform'} />
    </Drawer>
  );
}
