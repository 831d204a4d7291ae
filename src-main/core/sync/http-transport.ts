import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// Kept-alive connections are dropped after this long idle, before a server's own keep-alive timeout
// (5 s for Node's, 60–75 s for nginx and Fastify) can close one just as it is reused.
const idleSocketMs = 4_000;
const httpAgent = new HttpAgent({ keepAlive: true, timeout: idleSocketMs });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: idleSocketMs });

function headersOf(answer: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function connectionClosed(): Error {
  return Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' });
}

/**
 * The part of `fetch` that the platform client uses (method, headers, a string body, a signal; no
 * redirect is ever followed), over node:http and node:https with kept-alive connections. Node's own
 * fetch costs about three times the CPU per request: with the console, the platform and its database
 * on one 2-core machine, that alone held one console under 500 cases a second. Errors keep their
 * system codes (ECONNREFUSED, ECONNRESET…), and an abort rejects with the signal's reason, as fetch does.
 */
export const nodeHttpFetch: typeof fetch = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const signal = init.signal ?? null;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      reject(new TypeError('nodeHttpFetch sends string bodies only.'));
      return;
    }
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : null;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    if (body) headers['content-length'] = String(body.length);
    const secure = url.protocol === 'https:';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const outgoing = (secure ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers, agent: secure ? httpsAgent : httpAgent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.once('end', () => {
        const status = answer.statusCode ?? 0;
        // A Response cannot carry a body with these statuses (nor be built with a status outside 200–599).
        const content = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
        settle(() => {
          try {
            resolve(new Response(content, { status, statusText: answer.statusMessage ?? '', headers: headersOf(answer) }));
          } catch (error) {
            reject(error);
          }
        });
      });
      answer.on('error', (error) => settle(() => reject(error)));
      answer.once('close', () => {
        if (!answer.complete) settle(() => reject(connectionClosed()));
      });
    });
    const onAbort = () => {
      settle(() => reject(signal?.reason));
      outgoing.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => settle(() => reject(error)));
    outgoing.end(body ?? undefined);
  });
