import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventEnvelope, EventName, EventPayloads, MethodName, MethodRequest, MethodResponse } from '../../src-main/contract';
import type { Clock } from '../../src-main/core/clock';
import { createConsoleApp, type ConsoleApp } from '../../src-main/core/console-app';
import type { DraftingSettings } from '../../src-main/core/drafting/drafting-service';
import type { SpeechWorkerLauncher } from '../../src-main/core/speech/worker/speech-worker-protocol';
import type { SyncOptions } from '../../src-main/core/sync/sync-service';

export const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));

export async function makeTempDir(prefix = 'hotline-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function openTestConsole(
  dataDir: string,
  options: {
    clock?: Clock;
    stationCode?: string;
    modelsDir?: string;
    launchSpeechWorker?: SpeechWorkerLauncher;
    drafting?: Partial<DraftingSettings>;
    sync?: Partial<SyncOptions>;
  } = {},
): Promise<ConsoleApp> {
  return createConsoleApp({
    dataDir,
    resourcesDir,
    stationCode: options.stationCode ?? 'TS01',
    operatorName: 'test-operator',
    regionCode: '11',
    clock: options.clock,
    modelsDir: options.modelsDir,
    launchSpeechWorker: options.launchSpeechWorker,
    drafting: options.drafting,
    sync: options.sync,
  });
}

/** Calls a method and returns its value, failing the test with the error if it was refused. */
export async function call<M extends MethodName>(app: ConsoleApp, method: M, request: MethodRequest<M>): Promise<MethodResponse<M>> {
  const result = await app.invoke(method, request);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as MethodResponse<M>;
}

/** Resolves with the first event of that name matching `predicate`: tests wait on events, never on time. */
export function nextEvent<E extends EventName>(
  app: ConsoleApp,
  event: E,
  predicate: (payload: EventPayloads[E]) => boolean = () => true,
): Promise<EventPayloads[E]> {
  return new Promise((resolveEvent) => {
    const dispose = app.subscribe((envelope: EventEnvelope) => {
      if (envelope.event !== event) return;
      const payload = envelope.payload as EventPayloads[E];
      if (!predicate(payload)) return;
      dispose();
      resolveEvent(payload);
    });
  });
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

export const completeCaseFields = {
  callerPhone: '13812345678',
  contactPhone: '',
  callerName: '王先生',
  callerGender: 'male' as const,
  anonymous: false,
  address: { district: '朝阳区', street: '望京街道', community: '望京西园社区', estate: '望京西园三区', detail: '3号楼2单元501', divisionCode: null },
  appealType: '求助' as const,
  category: ['城乡建设', '城市建设和市政管理', '小区管理'],
  urgency: '急办' as const,
  department: '朝阳区望京街道办事处',
  summary: '小区3号楼电梯停运两天，老人上下楼困难，要求尽快维修。',
  duplicateOfCode: null,
  followUp: { wanted: true, method: 'phone' as const, note: '' },
  resolvedOnCall: false,
};
