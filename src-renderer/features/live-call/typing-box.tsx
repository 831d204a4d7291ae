import { Button, Input, Segmented, type InputRef } from 'antd';
import { useState, type Ref } from 'react';
import type { Speaker } from '../../../src-main/contract';
import { Kbd } from '../../components/kbd';
import { speakerLabelKeys, useI18n } from '../../i18n';
import { useErrorReporter } from '../../shared/use-error-reporter';

export function TypingBox({
  speaker,
  onSpeakerChange,
  enabled,
  onSend,
  inputRef,
}: {
  speaker: Speaker;
  onSpeakerChange: (speaker: Speaker) => void;
  enabled: boolean;
  onSend: (speaker: Speaker, text: string) => Promise<void>;
  inputRef: Ref<InputRef>;
}) {
  const { t } = useI18n();
  const reportError = useErrorReporter();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  const send = async () => {
    const line = text.trim();
    if (!enabled || sending || !line) return;
    setSending(true);
    try {
      await onSend(speaker, line);
      // Only what was sent is cleared; anything typed meanwhile stays.
      setText((current) => (current.trim() === line ? '' : current));
    } catch (error) {
      reportError(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="hc-typing" data-testid="typing-box">
      <Segmented<Speaker>
        value={speaker}
        onChange={onSpeakerChange}
        data-testid="speaker-switch"
        options={[
          {
            value: 'caller',
            label: (
              <span data-testid="speaker-caller">
                {t(speakerLabelKeys.caller)} <Kbd>Alt+1</Kbd>
              </span>
            ),
          },
          {
            value: 'operator',
            label: (
              <span data-testid="speaker-operator">
                {t(speakerLabelKeys.operator)} <Kbd>Alt+2</Kbd>
              </span>
            ),
          },
        ]}
      />
      <div className="hc-typing__row">
        <Input
          ref={inputRef}
          size="large"
          value={text}
          disabled={!enabled}
          maxLength={2000}
          placeholder={enabled ? t(`typing.placeholder.${speaker}`) : t('typing.needCall')}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            // Enter while an input method is composing picks a candidate; it must not send.
            if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.ctrlKey || event.metaKey || event.shiftKey) return;
            event.preventDefault();
            void send();
          }}
          data-testid="typing-input"
          data-speaker={speaker}
        />
        <Button size="large" onClick={() => void send()} disabled={!enabled || !text.trim()} loading={sending} data-testid="typing-send">
          {t('typing.send')} <Kbd>Enter</Kbd>
        </Button>
      </div>
    </div>
  );
}
