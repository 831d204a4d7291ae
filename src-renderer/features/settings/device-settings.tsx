import { Alert, Button, Select, Switch } from 'antd';
import { useState } from 'react';
import type { Speaker } from '../../../src-main/contract';
import { useI18n, type MessageKey } from '../../i18n';
import { requestMicrophonePermission, useAudioInputs, type AudioInput } from '../audio/audio-inputs';
import { resolveDeviceId, useAudioSettings, type DeviceChoice } from '../audio/audio-settings';
import type { CaptureProblem } from '../audio/capture-problems';
import { LevelMeter } from '../audio/level-meter';
import { processingFor } from '../audio/line-capture';
import { describeCaptureProblem } from '../audio/problem-text';
import { useLevelProbe } from '../audio/use-level-probe';

const offValue = 'off';
const systemDefaultValue = 'system-default';
const devicePrefix = 'device:';

const deviceLabelKeys: Record<Speaker, MessageKey> = { operator: 'settings.device.operator', caller: 'settings.device.caller' };
const deviceHintKeys: Record<Speaker, MessageKey> = { operator: 'settings.device.operatorHint', caller: 'settings.device.callerHint' };

function valueOf(choice: DeviceChoice | null): string {
  if (!choice) return offValue;
  return choice.deviceId === '' ? systemDefaultValue : `${devicePrefix}${choice.deviceId}`;
}

function DeviceSetting({ speaker, inputs }: { speaker: Speaker; inputs: AudioInput[] }) {
  const { t } = useI18n();
  const [settings, update] = useAudioSettings();
  const [attempt, setAttempt] = useState(0);
  const choice = settings.devices[speaker];
  const deviceId = resolveDeviceId(choice, inputs);
  const probe = useLevelProbe(deviceId, processingFor(speaker), attempt);
  const selectId = `${speaker}-device-select`;

  const nameOf = (input: AudioInput, index: number) => input.label || t('settings.device.unnamed', { number: index + 1 });
  const present = choice === null || choice.deviceId === '' || inputs.some((input) => input.deviceId === deviceId);
  // A device found again by its name (its id changed) shows as that device.
  const selected = choice && choice.deviceId !== '' && present ? `${devicePrefix}${deviceId}` : valueOf(choice);
  const options = [
    { value: offValue, label: <span data-testid={`${speaker}-device-option-off`}>{t('settings.device.off')}</span> },
    { value: systemDefaultValue, label: <span data-testid={`${speaker}-device-option-default`}>{t('settings.device.systemDefault')}</span> },
    ...inputs.map((input, index) => ({
      value: `${devicePrefix}${input.deviceId}`,
      label: (
        <span data-testid={`${speaker}-device-option-${index}`} data-device-label={input.label}>
          {nameOf(input, index)}
        </span>
      ),
    })),
    // A chosen device that is not plugged in stays visible, so that the operator sees what is missing.
    ...(present || !choice
      ? []
      : [
          {
            value: valueOf(choice),
            label: (
              <span data-testid={`${speaker}-device-option-missing`}>
                {t('settings.device.missing', { label: choice.label || t('settings.device.unnamed', { number: 1 }) })}
              </span>
            ),
          },
        ]),
  ];

  const choose = (value: string) => {
    let next: DeviceChoice | null = null;
    if (value === systemDefaultValue) next = { deviceId: '', label: '' };
    else if (value.startsWith(devicePrefix)) {
      const id = value.slice(devicePrefix.length);
      next = { deviceId: id, label: inputs.find((input) => input.deviceId === id)?.label ?? choice?.label ?? '' };
    }
    update((previous) => ({ ...previous, devices: { ...previous.devices, [speaker]: next } }));
  };

  return (
    <div className="hc-device" data-testid={`${speaker}-device`} data-state={probe.state}>
      <label className="hc-device__label" htmlFor={selectId}>
        {t(deviceLabelKeys[speaker])}
      </label>
      <div className="hc-device__hint hc-muted">{t(deviceHintKeys[speaker])}</div>
      <Select<string>
        id={selectId}
        size="large"
        className="hc-device__select"
        value={selected}
        onChange={choose}
        options={options}
        virtual={false}
        popupMatchSelectWidth={false}
        data-testid={selectId}
      />
      <div className="hc-device__meter">
        <span className="hc-muted">{t('settings.level')}</span>
        <LevelMeter
          levelDb={probe.levelDb}
          live={probe.state === 'live'}
          label={t('settings.levelOf', { device: t(deviceLabelKeys[speaker]) })}
          testId={`${speaker}-level-meter`}
        />
      </div>
      {probe.problem ? <ProbeProblem speaker={speaker} problem={probe.problem} onRetry={() => setAttempt((count) => count + 1)} /> : null}
    </div>
  );
}

function ProbeProblem({ speaker, problem, onRetry }: { speaker: Speaker; problem: CaptureProblem; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      className="hc-device__problem"
      data-testid={`${speaker}-device-problem`}
      data-problem={problem.kind}
      title={describeCaptureProblem(problem, t)}
      description={problem.detail ? <span className="hc-muted">{t('error.serverMessage', { message: problem.detail })}</span> : undefined}
      action={
        <Button onClick={onRetry} data-testid={`${speaker}-device-retry`}>
          {t('audio.line.retry')}
        </Button>
      }
    />
  );
}

/** The two inputs (one per speaker) with their level, and whether calls are transcribed by themselves. */
export function DeviceSettings() {
  const { t } = useI18n();
  const devices = useAudioInputs();
  const [settings, update] = useAudioSettings();
  const [asking, setAsking] = useState(false);
  const [permissionProblem, setPermissionProblem] = useState<CaptureProblem | null>(null);

  const askPermission = async () => {
    setAsking(true);
    try {
      setPermissionProblem(await requestMicrophonePermission());
    } finally {
      setAsking(false);
    }
  };

  return (
    <section className="hc-settings__section" aria-labelledby="settings-audio-title" data-testid="audio-settings">
      <h3 className="hc-settings__heading" id="settings-audio-title">
        {t('settings.audio.title')}
      </h3>
      <p className="hc-muted hc-settings__intro">{t('settings.audio.intro')}</p>
      {!devices.supported ? (
        <Alert type="warning" showIcon title={t('audioProblem.unsupported')} data-testid="audio-unsupported" />
      ) : null}
      {devices.supported && devices.loaded && !devices.labelled ? (
        <Alert
          type={permissionProblem ? 'warning' : 'info'}
          showIcon
          data-testid="microphone-permission"
          data-problem={permissionProblem?.kind ?? ''}
          // Before permission, "no devices" and "not allowed yet" look the same; the answer to the
          // request tells them apart.
          title={permissionProblem ? describeCaptureProblem(permissionProblem, t) : t('settings.permission.needed')}
          action={
            <Button type="primary" onClick={() => void askPermission()} loading={asking} data-testid="request-microphone-permission">
              {t(permissionProblem ? 'audio.line.retry' : 'settings.permission.ask')}
            </Button>
          }
        />
      ) : null}
      {devices.supported && devices.loaded && devices.labelled && devices.inputs.length === 0 ? (
        <Alert type="warning" showIcon title={t('settings.noDevices')} data-testid="audio-no-inputs" />
      ) : null}
      <DeviceSetting speaker="operator" inputs={devices.inputs} />
      <DeviceSetting speaker="caller" inputs={devices.inputs} />
      <div className="hc-settings__switch">
        <Switch
          id="auto-transcribe"
          checked={settings.autoTranscribe}
          onChange={(checked) => update((previous) => ({ ...previous, autoTranscribe: checked }))}
          data-testid="auto-transcribe-switch"
        />
        <label htmlFor="auto-transcribe">
          <div>{t('settings.autoTranscribe')}</div>
          <div className="hc-muted hc-settings__switch-hint">{t('settings.autoTranscribeHint')}</div>
        </label>
      </div>
    </section>
  );
}
