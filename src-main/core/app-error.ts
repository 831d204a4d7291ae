import type { ErrorCode, ErrorInfo, FieldIssue } from '../contract';

/** An expected failure that the operator can act on; it becomes `{ok:false, error}` at the boundary. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldIssues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toInfo(): ErrorInfo {
    return this.fieldIssues ? { code: this.code, message: this.message, fieldIssues: this.fieldIssues } : { code: this.code, message: this.message };
  }
}

const storageErrorCodes: Record<string, ErrorCode> = {
  SQLITE_CORRUPT: 'STORAGE_CORRUPT',
  SQLITE_NOTADB: 'STORAGE_CORRUPT',
  SQLITE_READONLY: 'STORAGE_READ_ONLY',
  SQLITE_FULL: 'STORAGE_FULL',
  SQLITE_BUSY: 'STORAGE_LOCKED',
  SQLITE_LOCKED: 'STORAGE_LOCKED',
  SQLITE_CANTOPEN: 'STORAGE_UNAVAILABLE',
  SQLITE_IOERR: 'STORAGE_UNAVAILABLE',
  ENOSPC: 'STORAGE_FULL',
  EROFS: 'STORAGE_READ_ONLY',
  EACCES: 'STORAGE_READ_ONLY',
  EPERM: 'STORAGE_READ_ONLY',
};

const storageAdvice: Partial<Record<ErrorCode, string>> = {
  STORAGE_CORRUPT: 'The database file is damaged. Keep the file for IT and restore the latest backup.',
  STORAGE_READ_ONLY: 'The database file or its folder cannot be written. Ask IT to restore write access.',
  STORAGE_FULL: 'The disk holding the data folder is full. Free some space, then try again.',
  STORAGE_LOCKED: 'The database is busy. Try again in a moment.',
  STORAGE_UNAVAILABLE: 'The database file cannot be opened. Check that the data folder exists and is reachable.',
};

/** Maps a SQLite or file-system failure to an error code the UI explains; anything else is INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const rawCode = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const code = storageErrorCodes[rawCode] ?? (rawCode.startsWith('SQLITE_IOERR') ? 'STORAGE_UNAVAILABLE' : undefined);
  if (code) return new AppError(code, `${storageAdvice[code] ?? ''} (${message})`.trim());
  return new AppError('INTERNAL', message);
}
