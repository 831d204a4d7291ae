import { Alert, Button, Cascader, Col, Form, Input, Radio, Row, Select, Switch, Tag, type FormInstance } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CategoryNode, DraftFieldName, ReferenceSnapshot, UrgencyLevel } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import {
  appealTypeLabelKeys,
  caseStateLabelKeys,
  draftFieldLabelKeys,
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
import { DraftFieldFrame, DraftReviewProvider, type DraftReviewActions } from './draft-field-frame';
import { confidencePercent, proposalFormValue, proposalOf, sameFormValue } from './draft-review';
import { describeProposedValue } from './proposal-text';
import { RepeatCasesNotice } from './repeat-cases-notice';
import { answerLimit, type CaseFormController } from './use-case-form';
import { CaseSyncTag, useCaseSync } from '../sync/case-sync';

type FormPath = Parameters<FormInstance<CaseFormValues>['getFieldValue']>[0];

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
/** Where a confirmed work order stands with the central platform: waiting, sent with its number, or refused. */
function ConfirmedCaseSync({ caseId }: { caseId: string }) {
  const state = useCaseSync(caseId);
  return state ? <CaseSyncTag state={state} /> : null;
}

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

/**
 * The category model's top candidate and the next ones, each with its confidence, as chips: the
 * operator can switch to another with one click. The one the form holds is left out.
 */
function CategoryCandidates({ controller, current }: { controller: CaseFormController; current: string[] | undefined }) {
  const { t } = useI18n();
  const proposal = proposalOf(controller.review, 'category');
  if (!proposal || controller.locked) return null;
  const candidates = [{ value: proposal.value, confidence: proposal.confidence }, ...proposal.alternatives].filter(
    (candidate) => !sameFormValue('category', current ?? null, candidate.value),
  );
  if (candidates.length === 0) return null;
  return (
    <div className="hc-draft__alternatives" data-testid="category-alternatives">
      <span className="hc-muted">{t('draft.alternatives')}</span>
      {candidates.map((candidate) => {
        const text = describeProposedValue('category', candidate.value, t);
        return (
          <Button
            key={text}
            size="small"
            className="hc-draft__alternative"
            title={t('draft.alternativeHint', { value: text })}
            onClick={() => controller.chooseCategory(candidate.value)}
            data-testid="category-alternative"
            data-value={candidate.value.join('/')}
          >
            {text}
            <span className="hc-draft__alternative-confidence">{confidencePercent(candidate.confidence)}%</span>
          </Button>
        );
      })}
    </div>
  );
}

/** The count of proposals still to review, beside Confirm: the reason it is disabled, and the way to the first one. */
function PendingProposals({ controller }: { controller: CaseFormController }) {
  const { t } = useI18n();
  const count = controller.pending.length;
  if (count === 0) return null;
  return (
    <Button
      type="link"
      size="large"
      className="hc-pending"
      id="pending-proposals"
      title={t('draft.pendingHint')}
      onClick={controller.focusFirstPending}
      data-testid="pending-proposals"
      data-count={count}
    >
      {count === 1 ? t('draft.pendingOne') : t('draft.pending', { count })}
    </Button>
  );
}

export function CaseForm({
  controller,
  reference,
  onShowEvidence,
}: {
  controller: CaseFormController;
  reference: ReferenceSnapshot | null;
  /** The proposed field whose transcript evidence should be shown (pointer over it, else focus in it). */
  onShowEvidence: (field: DraftFieldName | null) => void;
}) {
  const { t, locale } = useI18n();
  const { form, savedCase, locked, busy, draft } = controller;
  const [hoveredField, setHoveredField] = useState<DraftFieldName | null>(null);
  const [focusedField, setFocusedField] = useState<DraftFieldName | null>(null);
  const shownField = hoveredField ?? focusedField;
  useEffect(() => onShowEvidence(shownField), [onShowEvidence, shownField]);
  const reviewActions = useMemo<DraftReviewActions>(
    () => ({
      review: controller.review,
      locked,
      confirmField: controller.confirmField,
      takeNewerProposal: controller.takeNewerProposal,
      onHover: setHoveredField,
      onFocusChange: setFocusedField,
    }),
    [controller.review, controller.confirmField, controller.takeNewerProposal, locked],
  );
  /** Choosing the option a field already holds says "yes" to its proposal: no change event comes for that. */
  const confirmIfChosen = (field: DraftFieldName, path: FormPath, value: unknown) => () => {
    if (form.getFieldValue(path) === value) controller.confirmField(field);
  };
  const duplicateOfCode = (Form.useWatch('duplicateOfCode', form) as string | undefined) ?? '';
  const proposedAddress = proposalOf(controller.review, 'address')?.value;
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
  // The draft's deadline holds for the urgency and category it proposed; once either differs, the
  // hours above (from the form's own choice) are what count.
  const draftDeadline =
    draft?.deadline &&
    sameFormValue('urgency', urgency ?? null, draft.fields.urgency?.value ?? null) &&
    sameFormValue('category', category ?? null, draft.fields.category ? proposalFormValue('category', draft.fields.category.value) : null)
      ? draft.deadline
      : null;

  return (
    <div
      className="hc-pane hc-form-pane"
      data-testid="case-form-pane"
      // How far the proposals go: lets a test (or a curious developer) wait for a given draft.
      data-draft-segments={draft?.segmentCount ?? ''}
    >
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
              {savedCase.state === 'confirmed' ? <ConfirmedCaseSync caseId={savedCase.id} /> : null}
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
        {controller.refusedAsUnreviewed.length > 0 ? (
          <Alert
            className="hc-form-alert"
            type="warning"
            showIcon
            data-testid="case-unreviewed"
            title={t('draft.unreviewedTitle', {
              fields: controller.refusedAsUnreviewed.map((field) => t(draftFieldLabelKeys[field])).join(t('draft.listSeparator')),
            })}
          />
        ) : null}
        <RepeatCasesNotice
          candidates={locked ? [] : (draft?.repeats ?? [])}
          linkedCode={duplicateOfCode}
          locked={locked}
          onLink={controller.linkDuplicate}
        />
        {controller.pending.length > 0 ? (
          <p className="hc-draft-legend" data-testid="draft-legend">
            {t('draft.legend')}
          </p>
        ) : null}

        <DraftReviewProvider value={reviewActions}>
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
                  <DraftFieldFrame field="callerPhone">
                    <Field path="callerPhone">
                      <Form.Item name="callerPhone" label={t('form.callerPhone')}>
                        <Input inputMode="tel" maxLength={40} autoComplete="off" data-testid="input-callerPhone" />
                      </Form.Item>
                    </Field>
                  </DraftFieldFrame>
                </Col>
                <Col span={9}>
                  <DraftFieldFrame field="contactPhone">
                    <Field path="contactPhone">
                      <Form.Item name="contactPhone" label={t('form.contactPhone')}>
                        <Input inputMode="tel" maxLength={40} autoComplete="off" data-testid="input-contactPhone" />
                      </Form.Item>
                    </Field>
                  </DraftFieldFrame>
                </Col>
                <Col span={6}>
                  <DraftFieldFrame field="anonymous">
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
                  </DraftFieldFrame>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col span={12}>
                  <DraftFieldFrame field="callerName">
                    <Field path="callerName">
                      <Form.Item name="callerName" label={t('form.callerName')}>
                        <Input maxLength={40} autoComplete="off" data-testid="input-callerName" />
                      </Form.Item>
                    </Field>
                  </DraftFieldFrame>
                </Col>
                <Col span={12}>
                  <DraftFieldFrame field="callerGender">
                    <Field path="callerGender">
                      <Form.Item name="callerGender" label={t('form.callerGender')}>
                        <Radio.Group optionType="button" data-testid="input-callerGender">
                          {keysOf(genderLabelKeys).map((gender) => (
                            <Radio.Button key={gender} value={gender} onClick={confirmIfChosen('callerGender', ['callerGender'], gender)}>
                              {t(genderLabelKeys[gender])}
                            </Radio.Button>
                          ))}
                        </Radio.Group>
                      </Form.Item>
                    </Field>
                  </DraftFieldFrame>
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
              <DraftFieldFrame
                field="address"
                footer={
                  proposedAddress?.outsideRegion && !locked ? (
                    <div className="hc-draft__warning" data-testid="address-outside-region">
                      {t('draft.outsideRegion', { place: `${proposedAddress.province ?? ''}${proposedAddress.city ?? ''}` })}
                    </div>
                  ) : undefined
                }
              >
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
              </DraftFieldFrame>
            </Section>

            <Section title={t('form.section.appeal')}>
              <DraftFieldFrame field="appealType">
                <Field path="appealType">
                  <Form.Item name="appealType" label={t('form.appealType')}>
                    <Radio.Group optionType="button" data-testid="input-appealType">
                      {keysOf(appealTypeLabelKeys).map((appealType) => (
                        <Radio.Button key={appealType} value={appealType} onClick={confirmIfChosen('appealType', ['appealType'], appealType)}>
                          <span data-testid={`appealType-${appealType}`}>{t(appealTypeLabelKeys[appealType])}</span>
                        </Radio.Button>
                      ))}
                    </Radio.Group>
                  </Form.Item>
                </Field>
              </DraftFieldFrame>
              <DraftFieldFrame field="category" footer={<CategoryCandidates controller={controller} current={category} />}>
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
              </DraftFieldFrame>
              <DraftFieldFrame
                field="urgency"
                footer={
                  draftDeadline ? (
                    <div className="hc-draft__deadline" data-testid="draft-deadline">
                      {t('draft.deadline', { time: formatDateTime(draftDeadline.value, locale) })}
                    </div>
                  ) : undefined
                }
              >
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
                          <Radio.Button key={level} value={level} title={description} onClick={confirmIfChosen('urgency', ['urgency'], level)}>
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
              </DraftFieldFrame>
              <DraftFieldFrame field="department">
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
              </DraftFieldFrame>
              <DraftFieldFrame field="summary">
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
              </DraftFieldFrame>
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
              <DraftFieldFrame field="followUp">
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
                        <Radio.Group optionType="button" disabled={locked || !followUpWanted} data-testid="input-followUp.method">
                          {keysOf(followUpMethodLabelKeys).map((method) => (
                            <Radio.Button key={method} value={method} onClick={confirmIfChosen('followUp', ['followUp', 'method'], method)}>
                              {t(followUpMethodLabelKeys[method])}
                            </Radio.Button>
                          ))}
                        </Radio.Group>
                      </Form.Item>
                    </Field>
                  </Col>
                </Row>
                <Field path="followUp.note">
                  <Form.Item name={['followUp', 'note']} label={t('form.followUpNote')}>
                    <Input maxLength={200} autoComplete="off" data-testid="input-followUp.note" />
                  </Form.Item>
                </Field>
              </DraftFieldFrame>
              <Field path="resolvedOnCall">
                <Form.Item name="resolvedOnCall" label={t('form.resolvedOnCall')} valuePropName="checked">
                  <Switch data-testid="input-resolvedOnCall" />
                </Form.Item>
              </Field>
            </Section>
          </Form>
        </DraftReviewProvider>
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
            <PendingProposals controller={controller} />
            <Button
              size="large"
              type="primary"
              onClick={() => void controller.confirm()}
              loading={busy === 'confirming'}
              disabled={busy !== null || controller.pending.length > 0}
              aria-describedby={controller.pending.length > 0 ? 'pending-proposals' : undefined}
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
