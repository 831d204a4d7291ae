import { createContext, useContext, useState, type ReactNode } from 'react';
import type { SpeechState, SpeechStatus } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';
import { hasMessage, type MessageKey, type Translate } from '../../i18n';

interface SpeechStatusValue {
  status: SpeechStatus;
  /** For answers that carry a status (selecting a model), which may overtake the event. */
  setStatus: (status: SpeechStatus) => void;
}

const SpeechStatusContext = createContext<SpeechStatusValue | null>(null);

/** The speech recogniser's state for the whole page, as `onSpeechStatusChanged` reports it. */
export function SpeechStatusProvider({ initial, children }: { initial: SpeechStatus; children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<SpeechStatus>(initial);
  useEvent('onSpeechStatusChanged', setStatus);
  // Changes sent while the event socket was down are gone; ask again.
  useReconnected(() => {
    api.call('speech.getStatus', {}).then(setStatus, () => undefined);
  });
  return <SpeechStatusContext.Provider value={{ status, setStatus }}>{children}</SpeechStatusContext.Provider>;
}

export function useSpeechStatus(): SpeechStatusValue {
  const value = useContext(SpeechStatusContext);
  if (!value) throw new Error('useSpeechStatus must be used inside <SpeechStatusProvider>');
  return value;
}

export const speechStateLabelKeys: Record<SpeechState, MessageKey> = {
  'no-model': 'speechState.no-model',
  loading: 'speechState.loading',
  ready: 'speechState.ready',
  error: 'speechState.error',
};

/** What the header's tag says for each state. */
export const speechHeaderKeys: Record<SpeechState, MessageKey> = {
  'no-model': 'header.speechUnavailable',
  loading: 'header.speechLoading',
  ready: 'header.speechReady',
  error: 'header.speechError',
};

export const speechStateColours: Record<SpeechState, string> = {
  'no-model': 'orange',
  loading: 'blue',
  ready: 'green',
  error: 'red',
};

/**
 * The status in the operator's language: words of our own for the codes we know, the service's
 * (English) message for the rest, and no message at all while ready.
 */
export function describeSpeechStatus(status: SpeechStatus, t: Translate): string {
  if (status.state === 'ready') return status.model ? t('speech.readyWith', { name: status.model.name }) : t('speechState.ready');
  if (status.state === 'loading') return status.model ? t('speech.loadingWith', { name: status.model.name }) : t('speechState.loading');
  const key = status.code ? `speechCode.${status.code}` : '';
  if (hasMessage(key)) return t(key);
  return status.message || t(status.state === 'no-model' ? 'speechCode.SPEECH_NO_MODEL' : 'speechCode.SPEECH_WORKER_FAILED');
}
