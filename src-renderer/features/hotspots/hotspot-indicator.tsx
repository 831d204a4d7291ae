import { EnvironmentOutlined } from '@ant-design/icons';
import { Button, Drawer, Tag } from 'antd';
import { useState } from 'react';
import { hotspotKindLabelKeys, useI18n } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { describeHotspot, hotspotKey, hotspotWindowDays } from './hotspot-list';
import { useHotspots } from './use-hotspots';

/** The number of current hotspots in the header; Enter or a click opens the list. */
export function HotspotIndicator() {
  const { t, locale } = useI18n();
  const { list, refresh } = useHotspots();
  const [open, setOpen] = useState(false);
  const count = list?.length ?? null;

  return (
    <>
      <Button
        icon={<EnvironmentOutlined />}
        className={`hc-hotspot-indicator${count ? ' hc-hotspot-indicator--active' : ''}`}
        onClick={() => setOpen(true)}
        title={t('hotspot.indicatorHint', { days: hotspotWindowDays })}
        data-testid="hotspot-indicator"
        data-count={count ?? ''}
      >
        {count === null ? t('hotspot.indicatorUnavailable') : t('hotspot.indicator', { count })}
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        size={560}
        title={t('hotspot.drawerTitle', { days: hotspotWindowDays })}
        closable={{ 'aria-label': t('common.close') }}
        extra={
          <Button onClick={refresh} data-testid="hotspot-refresh">
            {t('hotspot.refresh')}
          </Button>
        }
        data-testid="hotspot-drawer"
      >
        {list === null ? (
          <p className="hc-muted">{t('hotspot.unavailable')}</p>
        ) : list.length === 0 ? (
          <p className="hc-muted" data-testid="hotspot-none">
            {t('hotspot.none', { days: hotspotWindowDays })}
          </p>
        ) : (
          <ul className="hc-hotspots" data-testid="hotspot-list">
            {list.map((hotspot) => (
              <li key={hotspotKey(hotspot)} className="hc-hotspot" data-testid="hotspot-item" data-kind={hotspot.kind}>
                <div className="hc-hotspot__head">
                  <Tag color={hotspot.kind === 'surge' ? 'orange' : 'blue'}>{t(hotspotKindLabelKeys[hotspot.kind])}</Tag>
                  <strong className="hc-hotspot__title" data-testid="hotspot-text">
                    {describeHotspot(hotspot, t)}
                  </strong>
                </div>
                <div className="hc-muted hc-hotspot__period">
                  {t('common.dateRange', { first: formatDateTime(hotspot.firstAt, locale), last: formatDateTime(hotspot.lastAt, locale) })}
                </div>
                {hotspot.caseCodes.length > 0 ? (
                  <div className="hc-hotspot__cases">
                    <span className="hc-muted">{t('hotspot.cases')}：</span>
                    {hotspot.caseCodes.map((code) => (
                      <span key={code} className="hc-case-code hc-hotspot__case" data-testid="hotspot-case">
                        {code}
                      </span>
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Drawer>
    </>
  );
}
