import { Alert, App, Button, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CategoryModelVersion, SuggestionReportRow } from '../../../src-main/contract';
import { useApi, useEvent } from '../../api/api-context';
import { describeError, useErrorReporter } from '../../shared/use-error-reporter';
import { draftFieldLabelKeys, trainingReasonLabelKeys, useI18n } from '../../i18n';
import { formatDateTime, formatPercent } from '../../shared/format';

type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

function ModelVersion({ model, restoring, onRestore }: { model: CategoryModelVersion; restoring: number | null; onRestore: (version: number) => void }) {
  const { t, locale } = useI18n();
  const { training, evaluation } = model;
  const facts: [string, string][] = [
    [t('models.trainedAt'), `${formatDateTime(model.trainedAt, locale)} · ${t('models.trainSeconds', { seconds: model.trainSeconds.toFixed(1) })}`],
    [t('models.algorithm'), model.algorithm],
    [
      t('models.examples'),
      t('models.examplesValue', {
        count: training.exampleCount,
        imported: training.importedCount,
        confirmed: training.confirmedCount,
        categories: training.categories.length,
      }),
    ],
    ...(training.from || training.until
      ? [[t('models.period'), t('common.dateRange', { first: formatDateTime(training.from, locale), last: formatDateTime(training.until, locale) })] as [string, string]]
      : []),
    [
      t('models.evaluation'),
      evaluation
        ? t('models.evaluationValue', {
            count: evaluation.heldOutCount,
            top1: formatPercent(evaluation.top1, 1),
            macroF1: formatPercent(evaluation.macroF1, 1),
            top3: formatPercent(evaluation.top3, 1),
          })
        : t('models.notEvaluated'),
    ],
    [t('models.reason'), t(trainingReasonLabelKeys[model.reason])],
  ];
  return (
    <li className={`hc-model${model.active ? ' hc-model--active' : ''}`} data-testid="category-model" data-version={model.version} data-active={model.active}>
      <div className="hc-model__head">
        <strong>{t('models.version', { version: model.version })}</strong>
        <span className="hc-model__action">
          {model.active && (
            <Tag color="blue" data-testid="category-model-active">
              {t('models.active')}
            </Tag>
          )}
          {!model.readable && (
            <Tag color="default" title={t('models.unreadableHint')} data-testid="category-model-unreadable">
              {t('models.unreadable')}
            </Tag>
          )}
          {!model.active && model.readable && (
            <Button
              type="primary"
              ghost
              onClick={() => onRestore(model.version)}
              loading={restoring === model.version}
              disabled={restoring !== null}
              data-testid="category-model-restore"
            >
              {t('models.restore')}
            </Button>
          )}
        </span>
      </div>
      <dl className="hc-facts">
        {facts.map(([term, value]) => (
          <div key={term} className="hc-facts__row">
            <dt className="hc-muted">{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

function SuggestionReport({ report }: { report: Loaded<SuggestionReportRow[]> }) {
  const { t } = useI18n();
  if (report.state === 'loading') return <p className="hc-muted">{t('models.loading')}</p>;
  if (report.state === 'failed') return <Alert type="warning" showIcon title={t('report.loadFailed', { message: report.message })} />;
  if (report.value.length === 0) return <p className="hc-muted" data-testid="suggestion-report-empty">{t('report.empty')}</p>;
  const rate = (ratio: number, count: number) => t('report.rate', { percent: Math.round(ratio * 100), count });
  return (
    <Table<SuggestionReportRow>
      size="small"
      pagination={false}
      rowKey={(row) => `${row.field}-${row.modelVersion ?? 'rules'}`}
      dataSource={report.value}
      data-testid="suggestion-report"
      onRow={(row) => ({ 'data-testid': 'suggestion-report-row', 'data-field': row.field }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'field', title: t('report.field'), render: (_, row) => t(draftFieldLabelKeys[row.field]) },
        { key: 'version', title: t('report.modelVersion'), render: (_, row) => (row.modelVersion === null ? t('report.rules') : row.modelVersion) },
        { key: 'proposed', title: t('report.proposed'), dataIndex: 'proposed', align: 'right' },
        { key: 'accepted', title: t('report.accepted'), align: 'right', render: (_, row) => rate(row.acceptanceRate, row.accepted) },
        { key: 'edited', title: t('report.edited'), align: 'right', render: (_, row) => rate(row.editRate, row.edited) },
      ]}
    />
  );
}

/**
 * The category model's register (each version with its training data and held-out scores, and a way
 * back to an earlier one) and how the operators took the console's proposals: the record by which
 * the model is judged.
 */
export function CategoryModelSettings() {
  const api = useApi();
  const { t } = useI18n();
  const { message } = App.useApp();
  const reportError = useErrorReporter();
  const [models, setModels] = useState<Loaded<CategoryModelVersion[]>>({ state: 'loading' });
  const [report, setReport] = useState<Loaded<SuggestionReportRow[]>>({ state: 'loading' });
  const [restoring, setRestoring] = useState<number | null>(null);

  const load = useCallback(() => {
    const failed = (error: unknown) => ({ state: 'failed', message: describeError(error, t).title }) as const;
    api.call('categoryModels.list', {}).then((value) => setModels({ state: 'ready', value }), (error: unknown) => setModels(failed(error)));
    api.call('drafts.report', {}).then((value) => setReport({ state: 'ready', value }), (error: unknown) => setReport(failed(error)));
  }, [api, t]);

  useEffect(load, [load]);
  useEvent('onCategoryModelChanged', load);

  const restore = async (version: number) => {
    setRestoring(version);
    try {
      const restored = await api.call('categoryModels.activate', { version });
      message.success({ content: t('models.restored', { version: restored.version }), key: 'category-model-restored' });
      load();
    } catch (error) {
      reportError(error);
    } finally {
      setRestoring(null);
    }
  };

  return (
    <section className="hc-settings__section" aria-labelledby="settings-category-model-title" data-testid="category-model-settings">
      <div className="hc-models__header">
        <h3 className="hc-settings__heading" id="settings-category-model-title">
          {t('models.title')}
        </h3>
        <Button onClick={load} data-testid="category-models-refresh">
          {t('models.refresh')}
        </Button>
      </div>
      <p className="hc-settings__intro hc-muted">{t('models.intro')}</p>
      {models.state === 'loading' ? (
        <p className="hc-muted">{t('models.loading')}</p>
      ) : models.state === 'failed' ? (
        <Alert type="warning" showIcon title={t('models.loadFailed', { message: models.message })} data-testid="category-models-failed" />
      ) : models.value.length === 0 ? (
        <p className="hc-muted" data-testid="category-models-none">
          {t('models.none')}
        </p>
      ) : (
        <ul className="hc-models" data-testid="category-model-list">
          {models.value.map((model) => (
            <ModelVersion key={model.version} model={model} restoring={restoring} onRestore={(version) => void restore(version)} />
          ))}
        </ul>
      )}

      <h4 className="hc-models__title hc-report__title">{t('report.title')}</h4>
      <p className="hc-settings__intro hc-muted">{t('report.intro')}</p>
      <SuggestionReport report={report} />
    </section>
  );
}
