import { Tag } from 'antd';
import { useI18n } from '../../i18n';
import type { CitedArticle } from './case-form-model';

/** The work order's citations as tags; removing one changes the field like any other edit. */
export function CitedArticlesField({
  value,
  onChange,
  disabled,
}: {
  value?: CitedArticle[];
  onChange?: (next: CitedArticle[]) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const cited = value ?? [];
  if (cited.length === 0) {
    return (
      <span className="hc-muted hc-citations-none" data-testid="cited-articles-none">
        {t('form.noCitations')}
      </span>
    );
  }
  return (
    <div className="hc-citations" data-testid="cited-articles">
      {cited.map((article) => (
        <Tag
          key={article.id}
          className="hc-citation"
          color="blue"
          closable={disabled ? false : { 'aria-label': t('form.removeCitation', { title: article.title }) }}
          onClose={(event) => {
            event.preventDefault();
            onChange?.(cited.filter((other) => other.id !== article.id));
          }}
          data-testid={`cited-article-${article.id}`}
          data-version={article.version}
        >
          {article.title}
          <span className="hc-citation__version">{t('suggestions.version', { version: article.version })}</span>
        </Tag>
      ))}
    </div>
  );
}
