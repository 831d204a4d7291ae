import type { CategoryModelVersion } from '../../../contract';
import { AppError } from '../../app-error';
import type { Database } from '../../storage/database';
import { CategoryModel, CategoryModelFormatError, categoryModelStorage, type CategoryModelJson } from '../category-model';
import type { TrainedCategoryModel, TrainingCase } from './category-training';

const activeVersionSetting = 'drafting.activeCategoryModel';

interface VersionRow {
  version: number;
  record: string;
  /** 1 when the stored model is in the storage format this console reads. */
  readable: number;
}

// Reads only the stored model's format and storage version, not the whole model into JavaScript.
const readableColumn = `(json_extract(model, '$.format') = '${categoryModelStorage.format}' AND json_extract(model, '$.version') = ${categoryModelStorage.version}) AS readable`;

/**
 * Every version of the locally learnt category model, with what it learnt from and how it scored
 * (the algorithm-governance record hotline rules ask for). A new version becomes the active one;
 * earlier versions stay and can be made active again.
 */
export class CategoryModelRegistry {
  private loaded: { version: number; model: CategoryModel } | null | undefined;

  constructor(private readonly database: Database) {}

  async list(): Promise<CategoryModelVersion[]> {
    const active = await this.activeVersion();
    const rows = await this.database.all<VersionRow>(`SELECT version, record, ${readableColumn} FROM category_models ORDER BY version DESC`);
    return rows.map((row) => toVersion(row, active));
  }

  /** The model drafts use now, loaded once; null while none has been trained. */
  async active(): Promise<{ version: number; model: CategoryModel } | null> {
    if (this.loaded !== undefined) return this.loaded;
    const version = await this.activeVersion();
    if (version === null) return (this.loaded = null);
    const row = await this.database.get<{ model: string }>('SELECT model FROM category_models WHERE version = ?', [version]);
    if (!row) return (this.loaded = null);
    try {
      this.loaded = { version, model: CategoryModel.fromJSON(JSON.parse(row.model) as CategoryModelJson) };
    } catch (error) {
      // A damaged or unreadable version must not stop drafting: the category is simply not proposed.
      if (error instanceof CategoryModelFormatError) {
        // Expected after an update that changed the model; the drafting service trains a new version.
        console.warn(`category model version ${version}: ${error.message}`);
      } else {
        console.error(`category model version ${version} cannot be read:`, error);
      }
      this.loaded = null;
    }
    return this.loaded;
  }

  /**
   * Whether the active version was stored by an earlier console in a format this one cannot read
   * (after an update that changed the model): it has to be trained again from the same cases. Asked
   * of the stored format alone, by the same rule as `list` and `activate`, without loading the model.
   */
  async activeIsOutdated(): Promise<boolean> {
    const version = await this.activeVersion();
    if (version === null) return false;
    const row = await this.database.get<{ readable: number }>(`SELECT ${readableColumn} FROM category_models WHERE version = ?`, [version]);
    return row !== undefined && row.readable !== 1;
  }

  /** Stores a trained model as the next version and makes it the active one. */
  async add(trained: TrainedCategoryModel): Promise<CategoryModelVersion> {
    const { model, ...record } = trained;
    const version = await this.database.transaction(async (sql) => {
      const next = await sql.get<{ version: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM category_models');
      const number = next?.version ?? 1;
      await sql.run('INSERT INTO category_models (version, trained_at, record, model) VALUES (?, ?, ?, ?)', [
        number,
        record.trainedAt,
        JSON.stringify(record),
        JSON.stringify(model),
      ]);
      await sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [activeVersionSetting, String(number)]);
      return number;
    });
    this.loaded = undefined;
    return { ...record, version, active: true, readable: true };
  }

  /** Makes an earlier (or later) stored version the active one. */
  async activate(version: number): Promise<CategoryModelVersion> {
    const row = await this.database.get<VersionRow>(`SELECT version, record, ${readableColumn} FROM category_models WHERE version = ?`, [version]);
    if (!row) throw new AppError('NOT_FOUND', `There is no category model version ${version}.`);
    if (!row.readable) {
      throw new AppError('VALIDATION_FAILED', `Category model version ${version} was stored by an earlier console in a format this one cannot read; train a new version instead.`);
    }
    await this.database.transaction((sql) =>
      sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [activeVersionSetting, String(version)]),
    );
    this.loaded = undefined;
    return toVersion(row, version);
  }

  /** Imported cases with a category, and cases confirmed here with one: what a new version learns from. */
  async trainingCases(): Promise<TrainingCase[]> {
    const rows = await this.database.all<{ id: string; origin: 'import' | 'console'; title: string; body: string; transcript: string; category: string; occurred_at: string | null }>(
      "SELECT id, origin, title, body, transcript, category, occurred_at FROM past_cases WHERE category <> '' ORDER BY rowid",
    );
    return rows.map((row) => ({
      id: row.id,
      origin: row.origin,
      // A console case's category is its path joined by spaces; the model learns the first level.
      category: row.category.split(' ')[0] ?? '',
      text: row.origin === 'console' ? `${row.body} ${row.transcript}`.trim() : `${row.title} ${row.body}`.trim(),
      // An imported message's title is read again on its own, as a drafted message's is; a case
      // confirmed here came from a call, which has none.
      title: row.origin === 'console' ? '' : row.title,
      occurredAt: row.occurred_at,
    }));
  }

  /** Cases confirmed on this console since the active version was trained. */
  async confirmedSinceActive(): Promise<number> {
    const version = await this.activeVersion();
    const trainedAt = version === null ? null : (await this.database.get<{ trained_at: string }>('SELECT trained_at FROM category_models WHERE version = ?', [version]))?.trained_at;
    const row = await this.database.get<{ count: number }>(
      "SELECT COUNT(*) AS count FROM cases WHERE state = 'confirmed' AND category_path IS NOT NULL AND confirmed_at > ?",
      [trainedAt ?? ''],
    );
    return row?.count ?? 0;
  }

  private async activeVersion(): Promise<number | null> {
    const row = await this.database.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [activeVersionSetting]);
    return row ? Number(row.value) : null;
  }
}

function toVersion(row: VersionRow, activeVersion: number | null): CategoryModelVersion {
  return {
    ...(JSON.parse(row.record) as Omit<CategoryModelVersion, 'version' | 'active' | 'readable'>),
    version: row.version,
    active: row.version === activeVersion,
    readable: row.readable === 1,
  };
}
