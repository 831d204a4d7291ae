import { Alert, Button, Cascader, Col, Form, Input, Radio, Row, Select, Switch, Tag } from 'antd';
import type { ReactNode } from 'react';
import type { CategoryNode, ReferenceSnapshot, UrgencyLevel } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import {
  appealTypeLabelKeys,
  caseStateLabelKeys,
  followUpMethodLabelKeys,
  genderLabelKeys,
  urgencyLabelKeys,
  useI18n,
} from '../../i18n';
import { keysOf } from '../../i18n/domain-labels';
import { formatDateTime } from '../../shared/format';
import { AddressSearch } from './address-search';
import { deadlineHours, emptyCaseFormValues, type CaseFormFieldPath, type CaseFormValues } from './case-form-model';
import { CitedArticlesField } from './cited-articles-field';
import { answerLimit, type CaseFormController } from './use-case-form';

interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

function toCascaderOptions(nodes: CategoryNode[]): CascaderOption[] {
  return nodes.map((node) => ({
    value: node.name,
    label: node.name,
    ...(node.children.length > 0 ? { children: toCascaderOptions(node.children) } : {}),
  }));
}

/** A wrapper the e2e tests can find a field (and its error) by. */
function Field({ path, children }: { path: CaseFormFieldPath | 'addressSearch'; children: ReactNode }) {
  return (
    <div className="hc-field" data-testid={`field-${path}`}>
      {children}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="hc-form-section">
      <h3 className="hc-form-section__title">{title}</h3>
      {children}
    </section>
  );
}

export function CaseForm({ controller, reference }: { controller: CaseFormController; reference: ReferenceSnapshot | null }) {
  const { t, locale } = useI18n();
  const { form, savedCase, locked, busy } = controller;
  const urgency = Form.useWatch('urgency', form) as UrgencyLevel | undefined;
  const category = Form.useWatch('category', form) as string[] | undefined;
  const followUpWanted = Form.useWatch(['followUp', 'wanted'], form) as boolean | undefined;
  const divisionCode = Form.useWatch(['address', 'divisionCode'], form) as string | null | undefined;

  const urgencyLevels: { level: UrgencyLevel; description: string }[] =
    reference && reference.urgencyLevels.length > 0
      ? reference.urgencyLevels
      : keysOf(urgencyLabelKeys).map((level) => ({ level, description: '' }));
  const selectedUrgency = urgencyLevels.find((info) => info.level === urgency);
  const selectedHours = deadlineHours(reference, urgency, category);

  return (
    <div className="hc-pane hc-form-pane" data-testid="case-form-pane">
      <div className="hc-pane__header">
        <h2 className="hc-pane__title">{t('form.title')}</h2>
        <div className="hc-form-status">
          {savedCase ? (
            <>
              <Tag color={savedCase.state === 'confirmed' ? 'green' : 'blue'} data-testid="case-state">
                {t(caseStateLabelKeys[savedCase.state])}
              </Tag>
              <span className="hc-case-code" data-testid="case-code">
                {savedCase.code}
              </span>
            </>
          ) : (
            <span className="hc-muted" data-testid="case-unsaved">
              {t('form.unsaved')}
            </span>
          )}
          {controller.dirty && savedCase && !locked ? (
            <span className="hc-muted" data-testid="case-dirty">
              · {t('form.unsavedChanges')}
            </span>
          ) : null}
        </div>
      </div>

      <div className="hc-pane__body hc-form-body">
        {locked && savedCase ? (
          <Alert
            className="hc-form-alert"
            type="success"
            showIcon
            data-testid="case-locked"
            title={t('form.locked')}
            description={savedCase.deadline ? t('form.deadline', { time: formatDateTime(savedCase.deadline, locale) }) : undefined}
          />
        ) : null}
        {controller.unplacedIssues.length > 0 ? (
          <Alert
            className="hc-form-alert"
            type="error"
            showIcon
            data-testid="case-other-issues"
            title={t('form.otherIssues')}
            description={
              <ul className="hc-issue-list">
                {controller.unplacedIssues.map((issue, index) => (
                  <li key={`${issue.field}-${index}`}>
                    {issue.field}: {issue.message}
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}

        <Form<CaseFormValues>
          form={form}
          name="case"
          layout="vertical"
          requiredMark={false}
          disabled={locked}
          initialValues={emptyCaseFormValues()}
          onValuesChange={(changed: Partial<CaseFormValues>) => controller.onValuesChange(changed)}
          onFinish={() => undefined}
          data-testid="case-form"
        >
          <Section title={t('form.section.caller')}>
            <Row gutter={16}>
              <Col span={9}>
                <Field path="callerPhone">
                  <Form.Item name="callerPhone" label={t('form.callerPhone')}>
                    <Input inputMode="tel" maxLength={40} autoComplete="off" data-testid="input-callerPhone" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={9}>
                <Field path="contactPhone">
                  <Form.Item name="contactPhone" label={t('form.contactPhone')}>
                    <Input inputMode="tel" maxLength={40} autoComplete="off" data-testid="input-contactPhone" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={6}>
                <Field path="anonymous">
                  <Form.Item
                    name="anonymous"
                    label={t('form.anonymous')}
                    tooltip={t('form.anonymousHint')}
                    valuePropName="checked"
                  >
                    <Switch data-testid="input-anonymous" aria-label={t('form.anonymousHint')} />
                  </Form.Item>
                </Field>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={12}>
                <Field path="callerName">
                  <Form.Item name="callerName" label={t('form.callerName')}>
                    <Input maxLength={40} autoComplete="off" data-testid="input-callerName" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={12}>
                <Field path="callerGender">
                  <Form.Item name="callerGender" label={t('form.callerGender')}>
                    <Radio.Group
                      optionType="button"
                      data-testid="input-callerGender"
                      options={keysOf(genderLabelKeys).map((gender) => ({
                        value: gender,
                        label: t(genderLabelKeys[gender]),
                      }))}
                    />
                  </Form.Item>
                </Field>
              </Col>
            </Row>
          </Section>

          <Section title={t('form.section.address')}>
            <Field path="addressSearch">
              <Form.Item
                label={t('form.addressSearch')}
                extra={divisionCode ? <span data-testid="division-code">{t('form.divisionCode', { code: divisionCode })}</span> : undefined}
              >
                <AddressSearch key={controller.generation} onPick={controller.pickAddress} disabled={locked} />
              </Form.Item>
            </Field>
            <Form.Item name={['address', 'divisionCode']} hidden>
              <Input />
            </Form.Item>
            <Row gutter={12}>
              <Col span={6}>
                <Field path="address.district">
                  <Form.Item name={['address', 'district']} label={t('form.district')}>
                    <Input maxLength={60} autoComplete="off" data-testid="input-address.district" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={6}>
                <Field path="address.street">
                  <Form.Item name={['address', 'street']} label={t('form.street')}>
                    <Input maxLength={60} autoComplete="off" data-testid="input-address.street" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={6}>
                <Field path="address.community">
                  <Form.Item name={['address', 'community']} label={t('form.community')}>
                    <Input maxLength={60} autoComplete="off" data-testid="input-address.community" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={6}>
                <Field path="address.estate">
                  <Form.Item name={['address', 'estate']} label={t('form.estate')}>
                    <Input maxLength={60} autoComplete="off" data-testid="input-address.estate" />
                  </Form.Item>
                </Field>
              </Col>
            </Row>
            <Field path="address.detail">
              <Form.Item name={['address', 'detail']} label={t('form.detail')}>
                <Input
                  maxLength={120}
                  autoComplete="off"
                  placeholder={t('form.detailPlaceholder')}
                  data-testid="input-address.detail"
                />
              </Form.Item>
            </Field>
          </Section>

          <Section title={t('form.section.appeal')}>
            <Field path="appealType">
              <Form.Item name="appealType" label={t('form.appealType')}>
                <Radio.Group optionType="button" data-testid="input-appealType">
                  {keysOf(appealTypeLabelKeys).map((appealType) => (
                    <Radio.Button key={appealType} value={appealType}>
                      <span data-testid={`appealType-${appealType}`}>{t(appealTypeLabelKeys[appealType])}</span>
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Field>
            <Field path="category">
              <Form.Item name="category" label={t('form.category')}>
                <Cascader
                  options={toCascaderOptions(reference?.categories ?? [])}
                  changeOnSelect
                  showSearch
                  placeholder={t('form.categoryPlaceholder')}
                  data-testid="input-category"
                />
              </Form.Item>
            </Field>
            <Field path="urgency">
              <Form.Item
                name="urgency"
                label={t('form.urgency')}
                extra={
                  selectedUrgency ? (
                    <span data-testid="urgency-hint">
                      {selectedHours !== null ? t('form.deadlineHours', { hours: selectedHours }) : null}
                      {selectedHours !== null && selectedUrgency.description ? ' · ' : null}
                      {selectedUrgency.description}
                    </span>
                  ) : undefined
                }
              >
                <Radio.Group optionType="button" data-testid="input-urgency">
                  {urgencyLevels.map(({ level, description }) => {
                    const hours = deadlineHours(reference, level, category);
                    return (
                      <Radio.Button key={level} value={level} title={description}>
                        <span data-testid={`urgency-${level}`}>
                          {t(urgencyLabelKeys[level])}
                          {hours !== null ? <span className="hc-radio-note">{t('form.hours', { hours })}</span> : null}
                        </span>
                      </Radio.Button>
                    );
                  })}
                </Radio.Group>
              </Form.Item>
            </Field>
            <Field path="department">
              <Form.Item
                name="department"
                label={t('form.department')}
                extra={controller.departmentSuggested ? t('form.departmentSuggested') : undefined}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  allowClear
                  virtual={false}
                  placeholder={t('form.departmentPlaceholder')}
                  data-testid="input-department"
                  options={(reference?.departments ?? []).map((department) => ({
                    value: department.name,
                    label: department.name,
                  }))}
                />
              </Form.Item>
            </Field>
            <Field path="summary">
              <Form.Item name="summary" label={t('form.summary')}>
                <Input.TextArea
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  maxLength={1000}
                  showCount
                  placeholder={t('form.summaryPlaceholder')}
                  data-testid="input-summary"
                />
              </Form.Item>
            </Field>
            <Field path="duplicateOfCode">
              <Form.Item name="duplicateOfCode" label={t('form.duplicateOf')}>
                <Input maxLength={40} autoComplete="off" data-testid="input-duplicateOfCode" />
              </Form.Item>
            </Field>
          </Section>

          <Section title={t('form.section.answer')}>
            <Field path="answer">
              <Form.Item name="answer" label={t('form.answer')}>
                <Input.TextArea
                  autoSize={{ minRows: 3, maxRows: 12 }}
                  maxLength={answerLimit}
                  showCount
                  placeholder={t('form.answerPlaceholder')}
                  data-testid="input-answer"
                />
              </Form.Item>
            </Field>
            <Field path="citedArticles">
              <Form.Item name="citedArticles" label={t('form.citedArticles')}>
                <CitedArticlesField disabled={locked} />
              </Form.Item>
            </Field>
          </Section>

          <Section title={t('form.section.followUp')}>
            <Row gutter={16}>
              <Col span={8}>
                <Field path="followUp.wanted">
                  <Form.Item name={['followUp', 'wanted']} label={t('form.followUpWanted')} valuePropName="checked">
                    <Switch data-testid="input-followUp.wanted" />
                  </Form.Item>
                </Field>
              </Col>
              <Col span={16}>
                <Field path="followUp.method">
                  <Form.Item name={['followUp', 'method']} label={t('form.followUpMethod')}>
                    <Radio.Group
                      optionType="button"
                      disabled={locked || !followUpWanted}
                      data-testid="input-followUp.method"
                      options={keysOf(followUpMethodLabelKeys).map((method) => ({
                        value: method,
                        label: t(followUpMethodLabelKeys[method]),
                      }))}
                    />
                  </Form.Item>
                </Field>
              </Col>
            </Row>
            <Field path="followUp.note">
              <Form.Item name={['followUp', 'note']} label={t('form.followUpNote')}>
                <Input maxLength={200} autoComplete="off" data-testid="input-followUp.note" />
              </Form.Item>
            </Field>
            <Field path="resolvedOnCall">
              <Form.Item name="resolvedOnCall" label={t('form.resolvedOnCall')} valuePropName="checked">
                <Switch data-testid="input-resolvedOnCall" />
              </Form.Item>
            </Field>
          </Section>
        </Form>
      </div>

      <div className="hc-pane__footer hc-form-footer">
        {locked ? (
          <Button size="large" onClick={() => controller.reset()} data-testid="new-case">
            {t('form.newCase')}
          </Button>
        ) : (
          <>
            <Button
              size="large"
              onClick={() => void controller.saveDraft()}
              loading={busy === 'saving'}
              disabled={busy !== null}
              data-testid="save-draft"
            >
              {t('form.saveDraft')} <Kbd>Ctrl+S</Kbd>
            </Button>
            <Button
              size="large"
              type="primary"
              onClick={() => void controller.confirm()}
              loading={busy === 'confirming'}
              disabled={busy !== null}
              data-testid="confirm-case"
            >
              {t('form.confirm')} <Kbd>Ctrl+Enter</Kbd>
            </Button>
          </>
        )}
      </div>
    </div>
  );
}
