import { ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Segmented, Table, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseState, CaseSummary } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { appealTypeLabelKeys, caseStateLabelKeys, urgencyLabelKeys, useI18n } from '../../i18n';
import { formatDateTime, maskPhone } from '../../shared/format';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { CaseSyncTag, useCaseSyncStates } from '../sync/case-sync';
import { CaseDrawer } from './case-drawer';

const pageSize = 20;
type StateFilter = CaseState | 'all';

export function CasesScreen({ visible }: { visible: boolean }) {
  const api = useApi();
  const { t, locale } = useI18n();
  const reportError = useErrorReporter();
  const [query, setQuery] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<CaseSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);
  const [searchedQuery, setSearchedQuery] = useState<string | null>(null);
  const requestSerial = useRef(0);

  const search = useCallback(
    async (text: string, state: StateFilter, pageNumber: number) => {
      const serial = ++requestSerial.current;
      setLoading(true);
      try {
        const found = await api.call('cases.search', {
          query: text.trim().slice(0, 100),
          state: state === 'all' ? null : state,
          limit: pageSize,
          offset: (pageNumber - 1) * pageSize,
        });
        // A slower, older answer must not replace a newer one.
        if (serial !== requestSerial.current) return;
        setItems(found.items);
        setTotal(found.total);
        setSearchedQuery(text.trim());
      } catch (error) {
        if (serial === requestSerial.current) reportError(error);
      } finally {
        if (serial === requestSerial.current) setLoading(false);
      }
    },
    [api, reportError],
  );

  const latest = useRef({ query, stateFilter, page, visible });
  latest.current = { query, stateFilter, page, visible };
  const refresh = useCallback(() => {
    const current = latest.current;
    void search(current.query, current.stateFilter, current.page);
  }, [search]);

  // Search as the operator types, after a short pause.
  useEffect(() => {
    if (!visible) return;
    const timer = setTimeout(() => void search(query, stateFilter, page), 250);
    return () => clearTimeout(timer);
  }, [visible, query, stateFilter, page, search]);

  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEvent('onCaseChanged', () => {
    // A hidden list is searched afresh when it is shown again.
    if (!latest.current.visible) return;
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(refresh, 200);
  });
  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );
  useReconnected(() => {
    if (latest.current.visible) refresh();
  });

  const syncStates = useCaseSyncStates(items.filter((item) => item.state === 'confirmed').map((item) => item.id));
  const empty = t('common.empty');
  const columns: TableColumnsType<CaseSummary> = [
    {
      key: 'code',
      title: t('cases.column.code'),
      dataIndex: 'code',
      width: 230,
      render: (code: string) => <span className="hc-case-code" data-testid="case-row-code">{code}</span>,
    },
    {
      key: 'state',
      title: t('cases.column.state'),
      dataIndex: 'state',
      width: 96,
      render: (state: CaseState) => (
        <Tag color={state === 'confirmed' ? 'green' : 'blue'} data-testid="case-row-state">
          {t(caseStateLabelKeys[state])}
        </Tag>
      ),
    },
    {
      key: 'sync',
      title: t('cases.column.sync'),
      width: 300,
      render: (_, row) => {
        const sync = syncStates.get(row.id);
        return row.state === 'confirmed' && sync ? <CaseSyncTag state={sync} testId="case-row-sync" /> : empty;
      },
    },
    {
      key: 'createdAt',
      title: t('cases.column.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (createdAt: string) => formatDateTime(createdAt, locale),
    },
    {
      key: 'phone',
      title: t('cases.column.phone'),
      dataIndex: 'callerPhone',
      width: 150,
      render: (phone: string, row) => (
        <span data-testid="case-row-phone">
          {phone ? maskPhone(phone) : empty}
          {row.anonymous ? (
            <Tag className="hc-tag-gap" variant="outlined">
              {t('cases.anonymous')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    {
      key: 'appealType',
      title: t('cases.column.appealType'),
      dataIndex: 'appealType',
      width: 110,
      render: (appealType: CaseSummary['appealType']) => (appealType ? t(appealTypeLabelKeys[appealType]) : empty),
    },
    {
      key: 'category',
      title: t('cases.column.category'),
      dataIndex: 'category',
      width: 200,
      ellipsis: true,
      render: (category: string[] | null) => (category ? category.join(' / ') : empty),
    },
    {
      key: 'urgency',
      title: t('cases.column.urgency'),
      dataIndex: 'urgency',
      width: 100,
      render: (urgency: CaseSummary['urgency']) => (urgency ? t(urgencyLabelKeys[urgency]) : empty),
    },
    {
      key: 'summary',
      title: t('cases.column.summary'),
      dataIndex: 'summary',
      ellipsis: true,
      render: (summary: string) => <span data-testid="case-row-summary">{summary || empty}</span>,
    },
  ];

  return (
    <div className="hc-cases" data-testid="cases-screen" hidden={!visible}>
      <div className="hc-cases__toolbar">
        <Input.Search
          className="hc-cases__search"
          size="large"
          allowClear
          value={query}
          maxLength={100}
          placeholder={t('cases.searchPlaceholder')}
          enterButton={t('cases.search')}
          onChange={(event) => {
            setQuery(event.target.value);
            setPage(1);
          }}
          onSearch={(value) => {
            setPage(1);
            void search(value, stateFilter, 1);
          }}
          data-testid="cases-search"
        />
        <Segmented<StateFilter>
          size="large"
          value={stateFilter}
          onChange={(value) => {
            setStateFilter(value);
            setPage(1);
          }}
          data-testid="cases-state-filter"
          options={[
            { value: 'all', label: <span data-testid="state-filter-all">{t('cases.filterAll')}</span> },
            { value: 'draft', label: <span data-testid="state-filter-draft">{t('caseState.draft')}</span> },
            { value: 'confirmed', label: <span data-testid="state-filter-confirmed">{t('caseState.confirmed')}</span> },
          ]}
        />
        <Button size="large" icon={<ReloadOutlined />} onClick={refresh} data-testid="cases-refresh">
          {t('cases.refresh')}
        </Button>
        <span className="hc-muted hc-cases__total" data-testid="cases-total" data-query={searchedQuery ?? ''}>
          {t('cases.total', { total })}
        </span>
      </div>
      <div className="hc-cases__table">
        <Table<CaseSummary>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={loading}
          size="middle"
          tableLayout="fixed"
          locale={{ emptyText: t('cases.empty') }}
          pagination={{
            current: page,
            pageSize,
            total,
            showSizeChanger: false,
            onChange: (next) => setPage(next),
          }}
          onRow={(row) =>
            ({
              onClick: () => setOpenCaseId(row.id),
              onKeyDown: (event: React.KeyboardEvent) => {
                if (event.key === 'Enter') setOpenCaseId(row.id);
              },
              tabIndex: 0,
              className: 'hc-clickable-row',
              'data-testid': 'case-row',
              'data-case-code': row.code,
            }) as React.HTMLAttributes<HTMLElement>
          }
          data-testid="cases-table"
        />
        <p className="hc-muted hc-cases__hint">{t('cases.openHint')}</p>
      </div>
      <CaseDrawer caseId={openCaseId} onClose={() => setOpenCaseId(null)} />
    </div>
  );
}
