import { Drawer } from 'antd';
import { useI18n } from '../../i18n';
import { CategoryModelSettings } from './category-model-settings';
import { DeviceSettings } from './device-settings';
import { SpeechModelSettings } from './speech-model-settings';

/**
 * Audio inputs, the speech model and the category model. Its contents exist only while it is open, so that the level
 * meters hold the devices only while someone is looking at them.
 */
export function SettingsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
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
    </Drawer>
  );
}
