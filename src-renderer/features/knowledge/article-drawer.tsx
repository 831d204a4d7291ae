import { Alert, Button, Descriptions, Drawer, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { KnowledgeArticle } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import { useI18n, type Translate } from '../../i18n';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { paragraphs } from './kb-text';

export type InsertMode = 'answer' | 'citation';

/** `**bold**` shown bold; everything else as typed, line breaks kept by the stylesheet. */
function Paragraph({ text }: { text: string }) {
  const pieces = text.split(/\*\*(.+?)\*\*/g);
  return (
    <p className="hc-article__paragraph">
      {pieces.map((piece, index) => (index % 2 === 1 ? <strong key={index}>{piece}</strong> : <span key={index}>{piece}</span>))}
    </p>
  );
}

function effectiveText(article: KnowledgeArticle, t: Translate): string {
  const { effectiveFrom: from, effectiveUntil: until } = article;
  if (from && until) return t('article.effectiveRange', { from, until });
  if (from) return t('article.effectiveFrom', { from });
  if (until) return t('article.effectiveUntil', { until });
  return t('article.effectiveAlways');
}

/**
 * One knowledge-base article in full, with the two ways to use it in the work order. It opens
 * over the transcript and the suggestions, so that the work order stays in view beside it.
 */
export function ArticleDrawer({
  target,
  getArticle,
  onClose,
  onInsert,
  locked,
}: {
  /** The article to show (its number in the list, when it has one, for the shortcut hint). */
  target: { id: string; version: number; rank: number | null } | null;
  getArticle: (id: string, version?: number) => Promise<KnowledgeArticle>;
  onClose: () => void;
  onInsert: (article: KnowledgeArticle, mode: InsertMode) => Promise<boolean>;
  locked: boolean;
}) {
  const { t } = useI18n();
  const reportError = useErrorReporter();
  const [article, setArticle] = useState<KnowledgeArticle | null>(null);
  const [inserting, setInserting] = useState<InsertMode | null>(null);

  const targetId = target?.id ?? null;
  const targetVersion = target?.version;
  useEffect(() => {
    setArticle(null);
    if (!targetId) return;
    let current = true;
    getArticle(targetId, targetVersion).then(
      (loaded) => {
        if (current) setArticle(loaded);
      },
      (error: unknown) => {
        if (!current) return;
        reportError(error);
        onClose();
      },
    );
    return () => {
      current = false;
    };
    // onClose and reportError change identity with the parent's renders; the fetch depends on the target only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [targetId, targetVersion, getArticle]);

  const shown = article && article.id === targetId ? article : null;

  const insert = async (mode: InsertMode) => {
    if (!shown || inserting) return;
    setInserting(mode);
    try {
      if (await onInsert(shown, mode)) onClose();
    } finally {
      setInserting(null);
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      placement="left"
      size={820}
      destroyOnHidden
      title={
        shown ? (
          <span className="hc-article__title" data-testid="article-title">
            {shown.title}
            {shown.sample ? (
              <Tag className="hc-tag-gap" title={t('suggestions.sampleHint')}>
                {t('suggestions.sample')}
              </Tag>
            ) : null}
          </span>
        ) : (
          ' '
        )
      }
      closable={{ 'aria-label': t('common.close') }}
      data-testid="article-drawer"
      rootClassName="hc-article-drawer"
      footer={
        shown ? (
          <div className="hc-article__footer">
            <span className="hc-muted hc-article__footer-hint">{locked ? t('article.lockedHint') : t('article.insertHint')}</span>
            <Button
              size="large"
              onClick={() => void insert('citation')}
              disabled={locked || inserting !== null}
              loading={inserting === 'citation'}
              data-testid="article-insert-citation"
            >
              {t('article.insertCitation')}
            </Button>
            <Button
              size="large"
              type="primary"
              onClick={() => void insert('answer')}
              disabled={locked || inserting !== null}
              loading={inserting === 'answer'}
              data-testid="article-insert-answer"
            >
              {t('article.insertAnswer')}
              {target?.rank ? <Kbd>{`Alt+Shift+${target.rank}`}</Kbd> : null}
            </Button>
          </div>
        ) : null
      }
    >
      {!shown ? (
        <div className="hc-center">
          <Spin />
          <span className="hc-muted">{t('article.loading')}</span>
        </div>
      ) : (
        <div className="hc-article" data-testid="article-detail" data-article-id={shown.id} data-version={shown.version}>
          {shown.sample ? <Alert className="hc-article__notice" type="info" showIcon title={t('article.sampleNotice')} /> : null}
          <Descriptions
            column={2}
            size="small"
            bordered
            styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}
            items={[
              { key: 'department', label: t('article.department'), children: shown.department || t('common.empty') },
              { key: 'category', label: t('article.category'), children: shown.category || t('common.empty') },
              {
                key: 'version',
                label: t('article.version'),
                children: <span data-testid="article-version">{t('suggestions.version', { version: shown.version })}</span>,
              },
              { key: 'effective', label: t('article.effective'), children: effectiveText(shown, t) },
              { key: 'source', label: t('article.source'), span: 2, children: shown.source || t('common.empty') },
              {
                key: 'keywords',
                label: t('article.keywords'),
                span: 2,
                children:
                  shown.keywords.length > 0 ? (
                    <span className="hc-article__keywords">
                      {shown.keywords.map((keyword) => (
                        <Tag key={keyword}>{keyword}</Tag>
                      ))}
                    </span>
                  ) : (
                    t('common.empty')
                  ),
              },
            ]}
          />
          <h3 className="hc-drawer-heading">{t('article.body')}</h3>
          <div className="hc-article__body" data-testid="article-body">
            {paragraphs(shown.body).map((paragraph, index) => (
              <Paragraph key={index} text={paragraph} />
            ))}
          </div>
        </div>
      )}
    </Drawer>
  );
}
