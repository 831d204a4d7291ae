import { Descriptions, Drawer, Empty, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Case, TranscriptSegment } from '../../../src-main/contract';
import { useApi, useEvent } from '../../api/api-context';
import { TranscriptList } from '../../components/transcript-list';
import {
  appealTypeLabelKeys,
  caseStateLabelKeys,
  followUpMethodLabelKeys,
  genderLabelKeys,
  urgencyLabelKeys,
  useI18n,
} from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { CaseSyncDetails } from '../sync/case-sync';

export function CaseDrawer({ caseId, onClose }: { caseId: string | null; onClose: () => void }) {
  const api = useApi();
  const { t, locale } = useI18n();
  const reportError = useErrorReporter();
  const [loaded, setLoaded] = useState<{ case: Case; segments: TranscriptSegment[] } | null>(null);

  const load = useCallback(
    (id: string) => {
      api.call('cases.get', { caseId: id }).then(
        (answer) => setLoaded((current) => (current === null || current.case.id === id || answer.case.id === id ? answer : current)),
        reportError,
      );
    },
    [api, reportError],
  );

  useEffect(() => {
    setLoaded(null);
    if (caseId) load(caseId);
  }, [caseId, load]);

  useEvent('onCaseChanged', (summary) => {
    if (caseId && summary.id === caseId) load(caseId);
  });

  const shown = loaded && loaded.case.id === caseId ? loaded : null;
  const item = shown?.case;
  const empty = t('common.empty');
  const orEmpty = (value: string | null | undefined) => (value && value.trim() ? value : empty);
  const yesNo = (value: boolean) => t(value ? 'common.yes' : 'common.no');

  const address = item
    ? [item.address.district, item.address.street, item.address.community, item.address.estate, item.address.detail]
        .filter((part) => part.trim())
        .join(' ')
    : '';

  return (
    <Drawer
      open={caseId !== null}
      onClose={onClose}
      size={820}
      destroyOnHidden
      title={item ? t('cases.drawerTitle', { code: item.code }) : ' '}
      closable={{ 'aria-label': t('common.close') }}
      data-testid="case-drawer"
      rootClassName="hc-case-drawer"
    >
      {!item || !shown ? (
        <div className="hc-center">
          <Spin />
        </div>
      ) : (
        <div data-testid="case-detail" data-case-code={item.code}>
          <Descriptions
            column={2}
            bordered
            size="small"
            styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
            items={[
              {
                key: 'code',
                label: t('cases.column.code'),
                children: <span data-testid="detail-code">{item.code}</span>,
              },
              {
                key: 'state',
                label: t('cases.column.state'),
                children: (
                  <Tag color={item.state === 'confirmed' ? 'green' : 'blue'} data-testid="detail-state">
                    {t(caseStateLabelKeys[item.state])}
                  </Tag>
                ),
              },
              {
                key: 'platform',
                label: t('caseSync.title'),
                span: 2,
                children: <CaseSyncDetails caseId={item.id} refreshKey={item.state} />,
              },
              { key: 'callerPhone', label: t('form.callerPhone'), children: <span data-testid="detail-callerPhone">{orEmpty(item.callerPhone)}</span> },
              { key: 'contactPhone', label: t('form.contactPhone'), children: orEmpty(item.contactPhone) },
              { key: 'callerName', label: t('form.callerName'), children: orEmpty(item.callerName) },
              { key: 'callerGender', label: t('form.callerGender'), children: t(genderLabelKeys[item.callerGender]) },
              { key: 'anonymous', label: t('form.anonymous'), children: yesNo(item.anonymous) },
              {
                key: 'divisionCode',
                label: t('cases.divisionCode'),
                children: item.address.divisionCode ?? empty,
              },
              { key: 'address', label: t('cases.address'), span: 2, children: orEmpty(address) },
              {
                key: 'appealType',
                label: t('form.appealType'),
                children: item.appealType ? t(appealTypeLabelKeys[item.appealType]) : empty,
              },
              { key: 'category', label: t('form.category'), children: item.category ? item.category.join(' / ') : empty },
              { key: 'urgency', label: t('form.urgency'), children: item.urgency ? t(urgencyLabelKeys[item.urgency]) : empty },
              { key: 'department', label: t('form.department'), children: orEmpty(item.department) },
              {
                key: 'summary',
                label: t('form.summary'),
                span: 2,
                children: <div className="hc-prewrap" data-testid="detail-summary">{orEmpty(item.summary)}</div>,
              },
              {
                key: 'answer',
                label: t('cases.answer'),
                span: 2,
                children: <div className="hc-prewrap" data-testid="detail-answer">{orEmpty(item.answer)}</div>,
              },
              {
                key: 'citedArticles',
                label: t('cases.citedArticles'),
                span: 2,
                children:
                  (item.citedArticles ?? []).length > 0 ? (
                    <span data-testid="detail-cited-articles">
                      {item.citedArticles.map((cited) => (
                        <Tag key={cited.id} color="blue" data-testid={`detail-cited-${cited.id}`}>
                          {cited.title} · {t('suggestions.version', { version: cited.version })}
                        </Tag>
                      ))}
                    </span>
                  ) : (
                    empty
                  ),
              },
              { key: 'duplicateOf', label: t('cases.duplicateOf'), children: orEmpty(item.duplicateOfCode) },
              {
                key: 'followUp',
                label: t('cases.followUp'),
                children: item.followUp.wanted
                  ? `${t(followUpMethodLabelKeys[item.followUp.method])}${item.followUp.note ? ` · ${item.followUp.note}` : ''}`
                  : t('followUp.none'),
              },
              { key: 'resolvedOnCall', label: t('cases.resolvedOnCall'), children: yesNo(item.resolvedOnCall) },
              { key: 'deadline', label: t('cases.deadline'), children: orEmpty(formatDateTime(item.deadline, locale)) },
              { key: 'createdAt', label: t('cases.createdAt'), children: formatDateTime(item.createdAt, locale) },
              { key: 'confirmedAt', label: t('cases.confirmedAt'), children: orEmpty(formatDateTime(item.confirmedAt, locale)) },
              { key: 'operator', label: t('cases.operator'), children: `${item.operatorName} · ${item.stationCode}` },
            ]}
          />
          <h3 className="hc-drawer-heading">{t('cases.transcript')}</h3>
          {shown.segments.length > 0 ? (
            <div className="hc-drawer-transcript">
              <TranscriptList segments={shown.segments} testId="case-transcript" />
            </div>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.noTranscript')} />
          )}
        </div>
      )}
    </Drawer>
  );
}
