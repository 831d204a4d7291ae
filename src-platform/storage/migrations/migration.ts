export interface PlatformMigration {
  /** Recorded in `platform_schema_migrations` once applied. Numbers are never reused or edited. */
  version: number;
  name: string;
  sql: string;
}
