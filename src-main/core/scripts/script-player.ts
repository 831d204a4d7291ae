import type { SampleCallSummary, ScriptPlayback } from '../../contract';
import { AppError, toAppError } from '../app-error';
import type { CallService } from '../calls/call-service';
import type { Clock } from '../clock';
import type { EventBus } from '../events/event-bus';
import type { SampleCall } from '../reference';

export interface SampleCallSource {
  findSampleCall(id: string): SampleCall | undefined;
  sampleCallSummaries(): SampleCallSummary[];
}

interface ActivePlayback {
  status: ScriptPlayback;
  timer: NodeJS.Timeout | undefined;
  cancelled: boolean;
}

/**
 * Plays a scripted sample call into a live call: each utterance is appended when the speaker would
 * have finished saying it, through the same `appendSegment` path that speech recognition uses.
 */
export class ScriptPlayer {
  private readonly active = new Map<string, ActivePlayback>();

  constructor(
    private readonly calls: CallService,
    private readonly sampleCalls: SampleCallSource,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  list(): SampleCallSummary[] {
    return this.sampleCalls.sampleCallSummaries();
  }

  async play(callId: string, scriptId: string, speed: number): Promise<ScriptPlayback> {
    const call = await this.calls.requireActive(callId);
    const script = this.sampleCalls.findSampleCall(scriptId);
    if (!script) throw new AppError('NOT_FOUND', `No sample call named "${scriptId}".`);
    this.stop(callId);

    // Place the script's times after whatever has already been said in this call.
    const offsetMs = Math.max(0, this.clock.now().getTime() - Date.parse(call.startedAt));
    const playback: ActivePlayback = {
      status: { callId, scriptId, state: 'playing', played: 0, total: script.utterances.length },
      timer: undefined,
      cancelled: false,
    };
    this.active.set(callId, playback);
    const startedAt = performance.now();

    const scheduleNext = () => {
      const utterance = script.utterances[playback.status.played];
      if (!utterance) {
        this.finish(playback, 'finished');
        return;
      }
      const dueInMs = Math.max(0, utterance.endMs / speed - (performance.now() - startedAt));
      playback.timer = setTimeout(() => {
        this.calls
          .appendSegment({
            callId,
            speaker: utterance.speaker,
            text: utterance.text,
            source: 'script',
            startMs: offsetMs + utterance.startMs,
            endMs: offsetMs + utterance.endMs,
          })
          .then(() => {
            if (playback.cancelled) return;
            playback.status = { ...playback.status, played: playback.status.played + 1 };
            this.events.emit('onScriptPlaybackChanged', playback.status);
            scheduleNext();
          })
          .catch((error: unknown) => {
            // The call ended or storage failed: stop quietly, the operator already sees why.
            if (toAppError(error).code !== 'CALL_ENDED') console.error('scripted playback stopped:', error);
            this.finish(playback, 'stopped');
          });
      }, dueInMs);
    };

    this.events.emit('onScriptPlaybackChanged', playback.status);
    scheduleNext();
    return playback.status;
  }

  stop(callId: string): ScriptPlayback | null {
    const playback = this.active.get(callId);
    if (!playback) return null;
    this.finish(playback, 'stopped');
    return playback.status;
  }

  stopAll(): void {
    for (const callId of [...this.active.keys()]) this.stop(callId);
  }

  private finish(playback: ActivePlayback, state: 'finished' | 'stopped'): void {
    if (playback.cancelled) return;
    playback.cancelled = true;
    clearTimeout(playback.timer);
    playback.status = { ...playback.status, state };
    if (this.active.get(playback.status.callId) === playback) this.active.delete(playback.status.callId);
    this.events.emit('onScriptPlaybackChanged', playback.status);
  }
}
