import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server';

export interface ArticleFile {
  id: string;
  title: string;
  version: number;
  effectiveUntil: string | null;
  body: string;
}

const folder = join(repoRoot, 'resources/knowledge-base');

/** A starter article as shipped, read straight from its file: the truth the UI is checked against. */
export function readArticle(id: string): ArticleFile {
  const source = readFileSync(join(folder, `${id}.md`), 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error(`${id}.md has no front matter`);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator > 0) fields.set(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  return {
    id: fields.get('id') || id,
    title: fields.get('title') ?? '',
    version: Number(fields.get('version') || 1),
    effectiveUntil: fields.get('effectiveUntil') || null,
    body: match[2]!.trim(),
  };
}

/** The body as the console inserts it: Markdown emphasis markers dropped, line breaks kept. */
export function insertedBody(article: ArticleFile): string {
  return article.body.replace(/\*\*/g, '').trim();
}
