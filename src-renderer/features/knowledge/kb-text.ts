import type { KnowledgeArticle } from '../../../src-main/contract';

/**
 * Article bodies are written in light Markdown (`**bold**`, `- ` and `1. ` lists). The console
 * shows and inserts them as plain text: the emphasis markers go, the line breaks stay.
 */
export function plainText(text: string): string {
  return text.replace(/\*\*/g, '');
}

/** The body as it goes into the work order's answer. */
export function answerText(article: Pick<KnowledgeArticle, 'body'>): string {
  return plainText(article.body).trim();
}

/**
 * The citation line appended by "citation only". It is part of the work-order record, which is
 * kept in Chinese whatever language the console shows.
 */
export function citationText(article: Pick<KnowledgeArticle, 'title' | 'version'>): string {
  return `〔参见知识库：${article.title}（第${article.version}版）〕`;
}

/** The body split into paragraphs at blank lines; single line breaks stay inside a paragraph. */
export function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\s+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '');
}

export interface TextPart {
  text: string;
  /** Set when this part is one of the matched words. */
  hit: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` cut into plain and matched parts. Longer terms win over the shorter ones inside them
 * (公积金提取 over 公积金), and letters match whatever their case.
 */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const usable = [...new Set(terms.map((term) => term.trim()).filter((term) => term !== ''))].sort((a, b) => b.length - a.length);
  if (usable.length === 0 || text === '') return text === '' ? [] : [{ text, hit: false }];
  const pattern = new RegExp(usable.map(escapeRegExp).join('|'), 'gi');
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (match[0] === '') continue;
    if (start > last) parts.push({ text: text.slice(last, start), hit: false });
    parts.push({ text: match[0], hit: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), hit: false });
  return parts;
}
