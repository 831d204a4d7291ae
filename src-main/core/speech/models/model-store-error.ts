export type ModelStoreErrorCode =
  /** No installed model of that name. */
  | 'MODEL_NOT_FOUND'
  | 'MODEL_NAME_INVALID'
  /** An installed model's manifest.json is missing, not JSON, or does not describe a model. */
  | 'MODEL_MANIFEST_INVALID'
  /** A model of that name is installed already; nothing was replaced. */
  | 'MODEL_EXISTS'
  /** The folder or archive to import does not exist. */
  | 'MODEL_SOURCE_MISSING'
  /** The folder or archive is not a usable model: wrong layout, broken manifest, files that fail their sha256. */
  | 'MODEL_SOURCE_INVALID'
  /** The archive tries to write outside its folder, or holds links or devices. Nothing was installed. */
  | 'MODEL_ARCHIVE_UNSAFE'
  /** `fetch` was given a name the catalogue does not know. */
  | 'MODEL_UNKNOWN'
  /** The model hub (or mirror) could not be reached at all. */
  | 'MODEL_FETCH_OFFLINE'
  /** The hub answered 404 for a file. */
  | 'MODEL_FETCH_NOT_FOUND'
  /** Any other refusal by the hub, or downloaded files that do not form a model. */
  | 'MODEL_FETCH_FAILED'
  /** The connection broke mid-file, more times than retried; the partial files are kept for the next fetch. */
  | 'MODEL_FETCH_INTERRUPTED'
  | 'MODEL_FETCH_CANCELLED'
  /** The models folder could not be written (full disk, permissions). */
  | 'MODEL_WRITE_FAILED';

/** A model-store failure with a code for the UI and a message that says what happened and what to do. */
export class ModelStoreError extends Error {
  constructor(
    readonly code: ModelStoreErrorCode,
    message: string,
    /** Files involved, when the problem is about particular files (missing, mismatching, unsafe). */
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'ModelStoreError';
  }
}

/** Wraps a file-system failure while writing into the models folder. */
export function writeFailure(error: unknown, what: string): ModelStoreError {
  if (error instanceof ModelStoreError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const advice =
    code === 'ENOSPC'
      ? 'The disk is full: free some space and try again.'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'The models folder cannot be written: ask IT for write access or choose another folder with --models-dir.'
        : 'Check the models folder and try again.';
  return new ModelStoreError('MODEL_WRITE_FAILED', `Could not ${what} (${(error as Error).message ?? String(error)}). ${advice}`);
}
