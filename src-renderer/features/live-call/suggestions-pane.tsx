import { BulbOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n';

/** Knowledge-base answers and similar cases will land here once retrieval exists. */
export function SuggestionsPane() {
  const { t } = useI18n();
  return (
    <div className="hc-pane hc-suggestions-pane" data-testid="suggestions-pane">
      <div className="hc-pane__header">
        <h2 className="hc-pane__title">{t('suggestions.title')}</h2>
      </div>
      <div className="hc-pane__body hc-suggestions-empty" data-testid="suggestions-empty">
        <BulbOutlined className="hc-suggestions-empty__icon" aria-hidden />
        <p>{t('suggestions.empty')}</p>
      </div>
    </div>
  );
}
