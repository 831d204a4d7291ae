import { expect } from 'vitest';
import { ModelStoreError } from '../../src-main/core/speech/models/model-store-error';

/** Awaits a model-store operation that must fail, and checks that it failed with `code`. */
export async function expectStoreError(promise: Promise<unknown>, code: string): Promise<ModelStoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelStoreError);
  expect((error as ModelStoreError).code).toBe(code);
  return error as ModelStoreError;
}
