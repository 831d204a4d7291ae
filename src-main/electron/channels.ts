// The IPC channel names, defined once and shared by the preload and the main process. This file
// must stay free of `electron`, `node:` and any runtime library: the sandboxed preload bundles it,
// and a sandboxed preload can require nothing but `electron`.
//
// The global name comes straight from the contract's events module, which holds only types and
// plain constants, so it adds nothing to the preload bundle (a unit test bundles the preload and
// checks that).
export { bridgeGlobalName } from '../contract/events';

/** Renderer → main: `(method: string, request: unknown)`, answered with a `Result`. */
export const invokeChannel = 'hotline-console:invoke';

/** Main → renderer: one `EventEnvelope` per message. */
export const eventChannel = 'hotline-console:event';

/** Renderer → main, one way: `(lineId: string, frame: ArrayBuffer)`, one frame of an open audio line. */
export const audioChannel = 'hotline-console:audio';

/** Renderer → main: `(data: ArrayBuffer)`, a file to store for a later method; answered with a `Result` of `{ uploadId }`. */
export const uploadChannel = 'hotline-console:upload';
