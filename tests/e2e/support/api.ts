import type { Result } from '../../../src-main/contract';
import type { RunningServer } from './server';

/** Calls the host directly from the test process, e.g. to read reference data to pick from. */
export async function invokeDirect<T>(server: RunningServer, method: string, request: unknown): Promise<Result<T>> {
  const response = await fetch(`${server.origin}/api/invoke/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(request),
  });
  return (await response.json()) as Result<T>;
}

export async function valueOf<T>(server: RunningServer, method: string, request: unknown): Promise<T> {
  const result = await invokeDirect<T>(server, method, request);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
