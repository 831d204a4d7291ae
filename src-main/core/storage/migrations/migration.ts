export interface Migration {
  /** Becomes the database's `user_version` once applied. Numbers are never reused or edited. */
  version: number;
  name: string;
  sql: string;
}
