import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Database, SqlExecutor } from '../storage/database';
import type { ArticleRecord, PastCaseRecord, SearchIndex } from './search-index';

export interface Rejection {
  /** File and line (or file alone) of the rejected record. */
  where: string;
  reason: string;
}

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

interface Parsed<T> {
  records: { where: string; record: T }[];
  rejected: Rejection[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encodingAdvice = 'not valid UTF-8 (probably GB18030/GBK): save the file as UTF-8 and import it again';
const batchSize = 2_000;

/** Splits a file into lines and decodes each on its own, so one badly encoded line costs only itself. */
function decodeLines(bytes: Buffer, file: string, rejected: Rejection[]): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const slice = bytes.subarray(start, end);
    try {
      const text = utf8.decode(slice).replace(/\r$/, '');
      if (text.trim()) lines.push({ line, text });
    } catch {
      rejected.push({ where: `${file}:${line}`, reason: encodingAdvice });
    }
    start = end + 1;
    line += 1;
  }
  return lines;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function optionalDay(value: unknown, field: string): string | null {
  const day = text(value);
  if (!day) return null;
  if (!isoDay.test(day) || Number.isNaN(Date.parse(day))) throw new Error(`${field} "${day}" is not a date like 2024-01-31`);
  return day;
}

function keywordList(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(text) : text(value).split(/[,，;；、]/);
  return list.map((keyword) => keyword.trim()).filter(Boolean);
}

/** Checks one article's fields; throws with the reason a person can act on. */
export function toArticleRecord(fields: Record<string, unknown>, fallbackId: string, sample: boolean): ArticleRecord {
  const title = text(fields.title);
  const body = text(fields.body ?? fields.answer);
  if (!title) throw new Error('no title');
  if (!body) throw new Error('no answer body');
  if (title.length > 200) throw new Error('title longer than 200 characters');
  const effectiveFrom = optionalDay(fields.effectiveFrom, 'effectiveFrom');
  const effectiveUntil = optionalDay(fields.effectiveUntil, 'effectiveUntil');
  if (effectiveFrom && effectiveUntil && effectiveUntil < effectiveFrom) throw new Error('effectiveUntil is before effectiveFrom');
  const versionText = text(fields.version);
  const version = versionText ? Number(versionText) : 1;
  if (!Number.isInteger(version) || version < 1) throw new Error(`version "${versionText}" is not a whole number from 1`);
  return {
    id: text(fields.id) || fallbackId,
    title,
    body,
    keywords: keywordList(fields.keywords),
    category: text(fields.category),
    department: text(fields.department),
    effectiveFrom,
    effectiveUntil,
    source: text(fields.source),
    version,
    sample,
  };
}

function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;
}

/** `---` front matter of `key: value` lines, then the answer body. */
export function parseMarkdownArticle(source: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source.replace(/^\uFEFF/, ''));
  if (!match) throw new Error('no front matter: the file must start with a --- block of "key: value" lines');
  const fields: Record<string, unknown> = { body: match[2] };
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const separator = line.indexOf(':');
    if (separator <= 0) throw new Error(`front-matter line "${line}" is not "key: value"`);
    fields[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return fields;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index];
    if (quoted) {
      if (character === '"' && source[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"' && field === '') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && source[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

async function parseArticles(path: string, sample: boolean): Promise<Parsed<ArticleRecord>> {
  const parsed: Parsed<ArticleRecord> = { records: [], rejected: [] };
  const info = await stat(path);
  const files = info.isDirectory()
    ? (await readdir(path)).filter((name) => /\.(md|markdown|jsonl|csv)$/i.test(name)).sort().map((name) => join(path, name))
    : [path];
  for (const file of files) {
    const label = basename(file);
    const bytes = await readFile(file);
    const extension = extname(file).toLowerCase();
    const accept = (where: string, fields: Record<string, unknown>, fallbackId: string) => {
      try {
        parsed.records.push({ where, record: toArticleRecord(fields, fallbackId, sample) });
      } catch (error) {
        parsed.rejected.push({ where, reason: (error as Error).message });
      }
    };
    if (extension === '.jsonl') {
      for (const { line, text: lineText } of decodeLines(bytes, label, parsed.rejected)) {
        let fields: unknown;
        try {
          fields = JSON.parse(lineText);
        } catch {
          parsed.rejected.push({ where: `${label}:${line}`, reason: 'broken JSON' });
          continue;
        }
        if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
          parsed.rejected.push({ where: `${label}:${line}`, reason: 'a line must be one JSON object' });
          continue;
        }
        const record = fields as Record<string, unknown>;
        accept(`${label}:${line}`, record, stableId('kb', text(record.title), text(record.body)));
      }
      continue;
    }
    let source: string;
    try {
      source = utf8.decode(bytes);
    } catch {
      parsed.rejected.push({ where: label, reason: encodingAdvice });
      continue;
    }
    if (extension === '.csv') {
      const [header, ...rows] = parseCsv(source.replace(/^\uFEFF/, ''));
      const names = (header ?? []).map((name) => name.trim());
      if (!names.includes('title')) {
        parsed.rejected.push({ where: label, reason: 'the first row must name the columns, including title and body' });
        continue;
      }
      rows.forEach((cells, index) => {
        const fields = Object.fromEntries(names.map((name, column) => [name, cells[column] ?? '']));
        accept(`${label}:${index + 2}`, fields, stableId('kb', text(fields.title), text(fields.body)));
      });
      continue;
    }
    try {
      accept(label, parseMarkdownArticle(source), basename(file, extname(file)));
    } catch (error) {
      parsed.rejected.push({ where: label, reason: (error as Error).message });
    }
  }
  return parsed;
}

const knownCaseFields = new Set(['id', 'title', 'body', 'time', 'category', 'label', 'address', 'reply', 'transcript']);

async function parsePastCases(file: string): Promise<Parsed<PastCaseRecord>> {
  const parsed: Parsed<PastCaseRecord> = { records: [], rejected: [] };
  const label = basename(file);
  for (const { line, text: lineText } of decodeLines(await readFile(file), label, parsed.rejected)) {
    const where = `${label}:${line}`;
    let fields: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(lineText);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      fields = value as Record<string, unknown>;
    } catch {
      parsed.rejected.push({ where, reason: 'broken JSON' });
      continue;
    }
    const title = text(fields.title);
    const body = text(fields.body);
    if (!title && !body) {
      parsed.rejected.push({ where, reason: 'neither title nor body' });
      continue;
    }
    const extra = Object.fromEntries(Object.entries(fields).filter(([name]) => !knownCaseFields.has(name)));
    parsed.records.push({
      where,
      record: {
        id: text(fields.id) || stableId('case', title, body),
        origin: 'import',
        caseId: null,
        title,
        body,
        transcript: text(fields.transcript),
        category: text(fields.category ?? fields.label),
        address: text(fields.address),
        reply: text(fields.reply),
        occurredAt: text(fields.time) || null,
        extra: Object.keys(extra).length > 0 ? extra : null,
      },
    });
  }
  return parsed;
}

async function writeInBatches<T>(
  database: Database,
  parsed: Parsed<T>,
  writeBatch: (executor: SqlExecutor, records: T[]) => Promise<{ added: number; updated: number; unchanged?: number }>,
): Promise<ImportReport> {
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, rejected: [...parsed.rejected] };
  // Commit every batch: a huge file never holds one endless transaction, and queries keep being answered between batches.
  for (let start = 0; start < parsed.records.length; start += batchSize) {
    const batch = parsed.records.slice(start, start + batchSize).map(({ record }) => record);
    const counts = await database.transaction((executor) => writeBatch(executor, batch));
    report.added += counts.added;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged ?? 0;
  }
  return report;
}

/** `hotline-console import-kb PATH`: a Markdown folder, a JSONL file or a CSV file. */
export async function importKnowledgeBase(database: Database, index: SearchIndex, path: string, options: { sample?: boolean } = {}): Promise<ImportReport> {
  const parsed = await parseArticles(path, options.sample ?? false);
  return writeInBatches(database, parsed, async (executor, records) => {
    const counts = { added: 0, updated: 0, unchanged: 0 };
    for (const record of records) counts[await index.upsertArticle(executor, record)] += 1;
    return counts;
  });
}

/** `hotline-console import-cases FILE.jsonl`: past cases with their categories and replies. */
export async function importPastCases(database: Database, index: SearchIndex, file: string): Promise<ImportReport> {
  const parsed = await parsePastCases(file);
  const report = await writeInBatches(database, parsed, (executor, records) => index.upsertPastCases(executor, records));
  await index.recountCaseTermFrequencies(database);
  return report;
}
