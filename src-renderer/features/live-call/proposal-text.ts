import type { DraftFieldName, DraftFieldValues } from '../../../src-main/contract';
import { appealTypeLabelKeys, followUpMethodLabelKeys, genderLabelKeys, urgencyLabelKeys, type Translate } from '../../i18n';

type Describe = { [F in DraftFieldName]: (value: DraftFieldValues[F], t: Translate) => string };

const describe: Describe = {
  callerPhone: (value) => value,
  contactPhone: (value) => value,
  callerName: (value) => value,
  callerGender: (value, t) => t(genderLabelKeys[value]),
  anonymous: (value, t) => `${t('form.anonymous')}：${t(value ? 'common.yes' : 'common.no')}`,
  address: ({ district, street, community, estate, detail }) => [district, street, community, estate, detail].filter(Boolean).join(' '),
  appealType: (value, t) => t(appealTypeLabelKeys[value]),
  category: (path) => path.join(' / '),
  urgency: (value, t) => t(urgencyLabelKeys[value]),
  department: (value) => value,
  summary: (value) => value,
  followUp: ({ wanted, method, note }, t) =>
    wanted ? `${t('draft.followUpValue', { method: t(followUpMethodLabelKeys[method]) })}${note ? `（${note}）` : ''}` : t('draft.noFollowUp'),
};

/** A proposed value in words, as the operator would read it in a hint or a chip. */
export function describeProposedValue<F extends DraftFieldName>(field: F, value: DraftFieldValues[F], t: Translate): string {
  return (describe[field] as (proposed: DraftFieldValues[F], translate: Translate) => string)(value, t);
}
