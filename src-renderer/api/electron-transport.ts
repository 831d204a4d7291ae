import type { ConsoleBridge, EventEnvelope, Result } from '../../src-main/contract';
import { isResult, TransportError, type Transport } from './transport';

/**
 * Adapts the preload's bridge. IPC has no separate event socket, so it is always connected, and
 * audio frames travel in order on the same pipe as the calls, so a line needs no ending of its own.
 */
export function createElectronTransport(bridge: ConsoleBridge): Transport {
  return {
    kind: 'electron',
    async invoke(method, request): Promise<Result<unknown>> {
      let answer: unknown;
      try {
        answer = await bridge.invoke(method, request);
      } catch (error) {
        throw new TransportError(error instanceof Error ? error.message : String(error));
      }
      if (!isResult(answer)) throw new TransportError(`Malformed answer to ${method}`);
      return answer;
    },
    subscribe(listener: (envelope: EventEnvelope) => void) {
      return bridge.subscribe(listener);
    },
    getConnectionState: () => 'connected',
    onConnectionStateChanged: () => () => undefined,
    sendAudio(lineId, frame) {
      bridge.sendAudio(lineId, frame);
    },
    async upload(file): Promise<Result<unknown>> {
      let answer: unknown;
      try {
        answer = await bridge.upload(file instanceof File ? file.name : 'upload', await file.arrayBuffer());
      } catch (error) {
        throw new TransportError(error instanceof Error ? error.message : String(error));
      }
      if (!isResult(answer)) throw new TransportError('Malformed answer to an upload');
      return answer;
    },
    endAudio: async () => null,
    onAudioDeliveryChanged: () => () => undefined,
    close: () => undefined,
  };
}
