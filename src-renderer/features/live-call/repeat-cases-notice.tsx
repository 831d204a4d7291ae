import { Alert, Button, Tag } from 'antd';
import type { RepeatCaseCandidate } from '../../../src-main/contract';
import { repeatReasonLabelKeys, useI18n } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { confidencePercent } from './draft-review';

/**
 * Earlier cases that may be the same matter (same caller number, or same place and a similar
 * appeal). A calm notice, not a decision: linking the new case as a duplicate is the operator's call.
 */
export function RepeatCasesNotice({
  candidates,
  linkedCode,
  locked,
  onLink,
}: {
  candidates: RepeatCaseCandidate[];
  /** The code the work order is linked to as a duplicate, if any. */
  linkedCode: string;
  locked: boolean;
  onLink: (code: string) => void;
}) {
  const { t, locale } = useI18n();
  if (candidates.length === 0) return null;
  return (
    <Alert
      className="hc-form-alert hc-repeats"
      type="info"
      showIcon
      data-testid="repeat-cases"
      title={t('repeat.title')}
      description={
        <>
          <p className="hc-repeats__intro">{t('repeat.intro')}</p>
          <ul className="hc-repeats__list">
            {candidates.map((candidate) => {
              const linked = linkedCode.trim() === candidate.code;
              return (
                <li key={candidate.code} className="hc-repeat" data-testid="repeat-case" data-code={candidate.code}>
                  <div className="hc-repeat__head">
                    <span className="hc-case-code">{candidate.code}</span>
                    <span className="hc-muted">{formatDateTime(candidate.occurredAt, locale)}</span>
                    {candidate.reasons.map((reason) => (
                      <Tag key={reason} className="hc-repeat__reason" data-testid="repeat-reason">
                        {t(repeatReasonLabelKeys[reason])}
                      </Tag>
                    ))}
                    <span className="hc-muted">{t('repeat.confidence', { percent: confidencePercent(candidate.confidence) })}</span>
                  </div>
                  <div className="hc-repeat__summary">{candidate.summary}</div>
                  {candidate.address ? <div className="hc-muted hc-repeat__address">{candidate.address}</div> : null}
                  <div className="hc-repeat__answer">
                    <span className="hc-repeat__answer-label">{t('repeat.answer')}</span>
                    {candidate.answer || <span className="hc-muted">{t('repeat.noAnswer')}</span>}
                  </div>
                  <div className="hc-repeat__actions">
                    {linked ? (
                      <Tag color="blue" data-testid="repeat-linked">
                        {t('repeat.linked')}
                      </Tag>
                    ) : (
                      <Button size="small" disabled={locked} onClick={() => onLink(candidate.code)} data-testid="repeat-link">
                        {t('repeat.link')}
                      </Button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      }
    />
  );
}
