import { App, Button, Input, Tag, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ArticleHit,
  DraftFieldName,
  KnowledgeArticle,
  RecordingImport,
  ReferenceSnapshot,
  SampleCallSummary,
  Speaker,
} from '../../../src-main/contract';
import { useApi, useEvent } from '../../api/api-context';
import { Kbd } from '../../components/kbd';
import { useI18n } from '../../i18n';
import { useErrorReporter } from '../../shared/use-error-reporter';
import { CallClock } from './call-clock';
import { CaseForm } from './case-form';
import { ScriptPlayer } from './script-player';
import type { InsertMode } from '../knowledge/article-drawer';
import { answerText, citationText } from '../knowledge/kb-text';
import { numberedArticles, SuggestionsPane } from '../knowledge/suggestions-pane';
import { useSuggestions } from '../knowledge/use-suggestions';
import { useSpeechStatus } from '../settings/speech-status';
import { AudioLinesBar } from './audio-lines-bar';
import { evidenceOf, noEvidence } from './draft-review';
import { TranscriptPane } from './transcript-pane';
import { TypingBox } from './typing-box';
import { answerLimit, useCaseForm } from './use-case-form';
import { useCallAudio } from './use-call-audio';
import { useCaseDraftFeed } from './use-case-draft-feed';
import { useLiveCall } from './use-live-call';

export function LiveCallScreen({
  visible,
  onShow,
  reference,
  onOpenSettings,
}: {
  visible: boolean;
  onShow: () => void;
  reference: ReferenceSnapshot | null;
  onOpenSettings: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const api = useApi();
  const reportError = useErrorReporter();
  const live = useLiveCall();
  const [recordingImport, setRecordingImport] = useState<RecordingImport | null>(null);
  const importing = recordingImport !== null && recordingImport.callId === live.call?.id;
  const audio = useCallAudio(live.call, { automatic: !importing });
  const recordingInput = useRef<HTMLInputElement>(null);
  const { status: speechStatus } = useSpeechStatus();
  const caseForm = useCaseForm(reference);
  const suggestions = useSuggestions(live.call?.id ?? null);
  const [callerLine, setCallerLine] = useState('');
  const [speaker, setSpeaker] = useState<Speaker>('caller');
  const [starting, setStarting] = useState(false);
  const [ending, setEnding] = useState(false);
  const typingInput = useRef<InputRef>(null);
  const startingRef = useRef(false);
  const [evidenceField, setEvidenceField] = useState<DraftFieldName | null>(null);
  const evidence = evidenceField ? evidenceOf(caseForm.review[evidenceField]) : noEvidence;
  useCaseDraftFeed(live.call?.id ?? null, caseForm.applyDraft);

  /**
   * A work order from an earlier call is kept as a draft before the form is cleared, so that
   * nothing typed is lost; one filled in before any call simply joins the new call. Returns
   * whether the form must be cleared, or null when the earlier draft could not be saved.
   */
  const keepEarlierWorkOrder = useCallback(async (): Promise<boolean | null> => {
    const belongsElsewhere = caseForm.callId !== null || caseForm.savedCase !== null;
    if (belongsElsewhere && caseForm.dirty && !caseForm.locked) {
      const saved = await caseForm.saveDraft();
      if (!saved) return null;
      message.info({ content: t('call.previousSaved', { code: saved.code }), key: 'previous-saved' });
    }
    return belongsElsewhere;
  }, [caseForm, message, t]);

  const startCall = useCallback(
    async (line: string | null) => {
      if (startingRef.current || live.isActive) return false;
      startingRef.current = true;
      setStarting(true);
      try {
        const belongsElsewhere = await keepEarlierWorkOrder();
        if (belongsElsewhere === null) return false;
        const call = await live.start(line && line.trim() ? line.trim() : null);
        if (belongsElsewhere) caseForm.reset();
        caseForm.attachToCall(call.id);
        // The line's number is a proposal like any other: it fills an empty field, and the operator checks it.
        if (call.callerLine) caseForm.proposeCallerLine(call.callerLine);
        setCallerLine('');
        typingInput.current?.focus();
        return true;
      } catch (error) {
        reportError(error);
        return false;
      } finally {
        startingRef.current = false;
        setStarting(false);
      }
    },
    [caseForm, keepEarlierWorkOrder, live, reportError],
  );

  useEvent('onRecordingImportChanged', (progress) => {
    setRecordingImport((previous) => (previous === null || previous.callId === progress.callId ? progress : previous));
    if (progress.state === 'failed') message.warning({ content: t('call.importFailed', { message: progress.message ?? '' }), key: 'recording-import' });
  });

  /** A recorded call, transcribed as a live call would be, into a call of its own. */
  const importRecording = useCallback(
    async (file: File) => {
      if (startingRef.current || live.isActive) return;
      startingRef.current = true;
      setStarting(true);
      try {
        const belongsElsewhere = await keepEarlierWorkOrder();
        if (belongsElsewhere === null) return;
        const { uploadId } = await api.upload(file);
        const call = await api.call('calls.importRecording', { uploadId, fileName: file.name });
        setRecordingImport({ callId: call.id, fileName: file.name, state: 'transcribing', processedMs: 0, durationMs: null, message: null });
        live.adopt(call);
        if (belongsElsewhere) caseForm.reset();
        caseForm.attachToCall(call.id);
      } catch (error) {
        reportError(error);
      } finally {
        startingRef.current = false;
        setStarting(false);
        if (recordingInput.current) recordingInput.current.value = '';
      }
    },
    [api, caseForm, keepEarlierWorkOrder, live, reportError],
  );

  const endCall = useCallback(async () => {
    setEnding(true);
    try {
      // The lines close first, so that the last utterance is recognised and joins the call's
      // transcript before the call is over.
      await audio.stop();
      await live.end();
    } catch (error) {
      reportError(error);
    } finally {
      setEnding(false);
    }
  }, [audio, live, reportError]);

  const playScript = useCallback(
    async (script: SampleCallSummary, speed: number) => {
      if (!live.isActive && !(await startCall(script.callerLine))) return;
      await live.play(script.id, speed);
    },
    [live, startCall],
  );

  /**
   * Puts an article into the work order's answer: its body, or only a citation line. Appends,
   * never replaces; a confirmed work order is left alone. True when something was inserted.
   */
  const insertArticle = useCallback(
    async (source: ArticleHit | KnowledgeArticle, mode: InsertMode): Promise<boolean> => {
      if (caseForm.locked) {
        message.warning({ content: t('insert.locked'), key: 'kb-insert' });
        return false;
      }
      let article: KnowledgeArticle;
      try {
        article = 'body' in source ? source : await suggestions.getArticle(source.id, source.version);
      } catch (error) {
        reportError(error);
        return false;
      }
      const outcome = caseForm.insertIntoAnswer(
        { id: article.id, title: article.title, version: article.version },
        mode === 'answer' ? answerText(article) : citationText(article),
      );
      switch (outcome) {
        case 'inserted':
          message.success({
            content: t(mode === 'answer' ? 'insert.answerDone' : 'insert.citationDone', { title: article.title }),
            key: 'kb-insert',
          });
          return true;
        case 'already-there':
          message.info({ content: t('insert.alreadyThere', { title: article.title }), key: 'kb-insert' });
          return true;
        case 'too-long':
          message.warning({ content: t('insert.tooLong', { max: answerLimit }), key: 'kb-insert' });
          return false;
        case 'locked':
          message.warning({ content: t('insert.locked'), key: 'kb-insert' });
          return false;
      }
    },
    [caseForm, message, reportError, suggestions, t],
  );

  // The keyboard handler is registered once; it reads the latest state through this ref.
  const latest = useRef({ visible, live, caseForm, startCall, callerLine, onShow, suggestions, insertArticle, audio, onOpenSettings });
  latest.current = { visible, live, caseForm, startCall, callerLine, onShow, suggestions, insertArticle, audio, onOpenSettings };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      const current = latest.current;
      const ctrl = event.ctrlKey || event.metaKey;
      if (event.altKey && !ctrl && event.code === 'KeyN') {
        event.preventDefault();
        current.onShow();
        void current.startCall(current.callerLine);
        return;
      }
      if (!current.visible) return;
      if (ctrl && !event.altKey && event.code === 'KeyS') {
        event.preventDefault();
        void current.caseForm.saveDraft();
      } else if (ctrl && !event.altKey && event.key === 'Enter') {
        event.preventDefault();
        void current.caseForm.confirm();
      } else if (event.altKey && event.shiftKey && !ctrl && /^Digit[1-9]$/.test(event.code)) {
        // Alt+Shift+1..5: the answer of that numbered article, straight into the work order.
        event.preventDefault();
        const number = Number(event.code.slice('Digit'.length));
        const hit = number <= numberedArticles ? current.suggestions.shownArticles[number - 1] : undefined;
        if (hit) void current.insertArticle(hit, 'answer');
      } else if (event.altKey && !event.shiftKey && !ctrl && event.code === 'KeyM') {
        // Alt+M: transcription of the call on or off (with no device chosen, Settings open instead).
        event.preventDefault();
        if (!current.audio.hasDevices) current.onOpenSettings();
        else if (current.audio.active) void current.audio.stop();
        else if (current.live.isActive) current.audio.start();
      } else if (event.altKey && !event.shiftKey && !ctrl && (event.code === 'Digit1' || event.code === 'Digit2')) {
        event.preventDefault();
        setSpeaker(event.code === 'Digit1' ? 'caller' : 'operator');
        typingInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const { call } = live;
  const callState = !call ? 'idle' : call.endedAt ? 'ended' : 'active';

  return (
    <div className="hc-live" data-testid="live-call-screen" hidden={!visible}>
      <div className="hc-callbar">
        <Input
          className="hc-callbar__line"
          size="large"
          value={callerLine}
          onChange={(event) => setCallerLine(event.target.value)}
          placeholder={t('call.callerLinePlaceholder')}
          disabled={live.isActive}
          maxLength={40}
          inputMode="tel"
          data-testid="caller-line-input"
        />
        <Button
          size="large"
          type="primary"
          onClick={() => void startCall(callerLine)}
          loading={starting}
          disabled={live.isActive}
          data-testid="start-call"
        >
          {t('call.start')} <Kbd>Alt+N</Kbd>
        </Button>
        <Button
          size="large"
          onClick={() => recordingInput.current?.click()}
          disabled={live.isActive || starting}
          title={t('call.importRecordingHint')}
          data-testid="import-recording"
        >
          {t('call.importRecording')}
        </Button>
        <input
          ref={recordingInput}
          type="file"
          hidden
          accept=".wav,.mp3,.ogg,.oga,.opus,.webm,.flac,audio/*"
          data-testid="import-recording-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void importRecording(file);
          }}
        />
        <Button size="large" onClick={() => void endCall()} loading={ending} disabled={!live.isActive} data-testid="end-call">
          {t('call.end')}
        </Button>
        <span className="hc-callbar__state" data-testid="call-state" data-state={callState} data-call-id={call?.id ?? ''}>
          {call ? (
            <>
              <Tag color={callState === 'active' ? 'green' : 'default'}>{t(callState === 'active' ? 'call.active' : 'call.ended')}</Tag>
              <CallClock call={call} />
              {call.callerLine ? <span className="hc-muted"> · {call.callerLine}</span> : null}
              {importing && recordingImport ? (
                <Tag color={recordingImport.state === 'failed' ? 'red' : recordingImport.state === 'finished' ? 'default' : 'processing'} data-testid="recording-import" data-state={recordingImport.state}>
                  {recordingImport.state === 'transcribing'
                    ? t('call.importing', {
                        name: recordingImport.fileName,
                        progress: recordingImport.durationMs ? `${Math.min(99, Math.round((recordingImport.processedMs / recordingImport.durationMs) * 100))}%` : '…',
                      })
                    : t(recordingImport.state === 'finished' ? 'call.imported' : 'call.importStopped', { name: recordingImport.fileName })}
                </Tag>
              ) : null}
            </>
          ) : (
            <span className="hc-muted">{t('call.idle')}</span>
          )}
        </span>
        <span className="hc-callbar__hints hc-muted" aria-label={t('shortcuts.title')}>
          <Kbd>Ctrl+S</Kbd> {t('shortcuts.saveDraft')} · <Kbd>Ctrl+Enter</Kbd> {t('shortcuts.confirm')} · <Kbd>Alt+1</Kbd>/<Kbd>Alt+2</Kbd>{' '}
          {t('shortcuts.speakers')} · <Kbd>Alt+Shift+1…5</Kbd> {t('shortcuts.insertAnswer')}
        </span>
      </div>
      <div className="hc-live__panes">
        <TranscriptPane
          callId={call?.id ?? null}
          segments={live.segments}
          evidence={evidence}
          partials={live.partials}
          emptyText={t(
            !live.isActive
              ? 'transcript.emptyNoCall'
              : audio.active && speechStatus.state === 'ready'
                ? 'transcript.emptyListening'
                : 'transcript.emptyActive',
          )}
          toolbar={
            <>
              <AudioLinesBar
                controller={audio}
                callActive={live.isActive}
                speechReady={speechStatus.state === 'ready'}
                onOpenSettings={onOpenSettings}
              />
              <ScriptPlayer playback={live.playback} onPlay={playScript} onStop={live.stop} />
            </>
          }
          footer={
            <TypingBox
              speaker={speaker}
              onSpeakerChange={setSpeaker}
              enabled={live.isActive}
              onSend={live.addTyped}
              inputRef={typingInput}
            />
          }
        />
        <SuggestionsPane controller={suggestions} callState={callState} onInsert={insertArticle} locked={caseForm.locked} />
        <CaseForm controller={caseForm} reference={reference} onShowEvidence={setEvidenceField} />
      </div>
    </div>
  );
}
