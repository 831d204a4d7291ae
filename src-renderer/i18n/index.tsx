import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale as AntdLocale } from 'antd/es/locale';
import antdZhCN from 'antd/locale/zh_CN';
import antdEnUS from 'antd/locale/en_US';
import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-cn';

export type { MessageKey } from './zh-cn';
export {
  appealTypeLabelKeys,
  caseStateLabelKeys,
  draftFieldLabelKeys,
  followUpMethodLabelKeys,
  genderLabelKeys,
  hotspotKindLabelKeys,
  repeatReasonLabelKeys,
  segmentSourceLabelKeys,
  speakerLabelKeys,
  trainingReasonLabelKeys,
  urgencyLabelKeys,
} from './domain-labels';

export type Locale = 'zh-CN' | 'en';
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const antdLocales: Record<Locale, AntdLocale> = { 'zh-CN': antdZhCN, en: antdEnUS };
const storageKey = 'hotline-console.locale';

function readStoredLocale(): Locale {
  try {
    return window.localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  antdLocale: AntdLocale;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(storageKey, next);
    } catch {
      // A locked-down profile may refuse storage; the choice then lasts for this session only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.title');
  }, [locale]);

  const value = useMemo<I18nValue>(
    () => ({
      locale,
      setLocale,
      t: (key, params) => translate(locale, key, params),
      antdLocale: antdLocales[locale],
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}
