#!/usr/bin/env node
// Derives the generated reference files in resources/ from the public data in ../shared/data.
// Run by hand when that data changes: `node scripts/build-resources.js [sharedDataDir]`.
// The output is committed, so the app never needs ../shared at run time.
//
// Only taxonomy facts (category names) are taken from the TipDM files: their messages and replies
// carry no licence that allows redistribution. The administrative divisions are WTFPL.

import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedDataDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '..', 'shared', 'data'));
const resourcesDir = path.join(repoRoot, 'resources');

// The repository holds no file above this size; a bigger output means the format needs rethinking.
const maxOutputBytes = 5 * 1024 * 1024;

const divisionLevels = new Set(['province', 'city', 'district', 'street']);

async function readJsonLines(fileName) {
  const filePath = path.join(sharedDataDir, fileName);
  const text = await readFile(filePath, 'utf8');
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), lineNumber: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, lineNumber }) => {
      try {
        return { row: JSON.parse(line), lineNumber };
      } catch (error) {
        throw new Error(`${filePath}:${lineNumber}: not valid JSON (${error.message})`);
      }
    });
}

function requireText(value, what, where) {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${where}: ${what} must be a non-empty string`);
  }
  return value.trim();
}

async function buildCategories() {
  const rows = await readJsonLines('tipdm-taxonomy.jsonl');
  // Insertion order of Map keys keeps the tree in the order of the source file.
  const level1Nodes = new Map();
  for (const { row, lineNumber } of rows) {
    const where = `tipdm-taxonomy.jsonl:${lineNumber}`;
    const level1 = requireText(row.level1, 'level1', where);
    const level2 = requireText(row.level2, 'level2', where);
    const level3 = requireText(row.level3, 'level3', where);
    if (!level1Nodes.has(level1)) level1Nodes.set(level1, new Map());
    const level2Nodes = level1Nodes.get(level1);
    if (!level2Nodes.has(level2)) level2Nodes.set(level2, []);
    const leaves = level2Nodes.get(level2);
    if (!leaves.includes(level3)) leaves.push(level3);
  }
  const tree = [...level1Nodes].map(([name, level2Nodes]) => ({
    name,
    children: [...level2Nodes].map(([level2Name, leaves]) => ({
      name: level2Name,
      children: leaves.map((leaf) => ({ name: leaf, children: [] })),
    })),
  }));
  const document = {
    source:
      'Category names of the three-level tree that accompanies the 2020 TipDM Cup problem C data ' +
      '(tipdm-taxonomy.jsonl); names only, no message text.',
    tree,
  };
  // One level-1 node per line keeps diffs readable without making the file large.
  const body = tree.map((node) => '    ' + JSON.stringify(node)).join(',\n');
  const text = `{\n  "source": ${JSON.stringify(document.source)},\n  "tree": [\n${body}\n  ]\n}\n`;
  const leafCount = tree.reduce((sum, l1) => sum + l1.children.reduce((s, l2) => s + l2.children.length, 0), 0);
  return { text, summary: `${tree.length} level-1, ${leafCount} level-3 categories` };
}

async function buildDivisions() {
  const rows = await readJsonLines('cn-admin-divisions.jsonl');
  const codes = new Set();
  const lines = [];
  for (const { row, lineNumber } of rows) {
    const where = `cn-admin-divisions.jsonl:${lineNumber}`;
    const code = requireText(row.code, 'code', where);
    const name = requireText(row.name, 'name', where);
    if (!/^\d{2,12}$/.test(code)) throw new Error(`${where}: code "${code}" is not a division code`);
    if (!divisionLevels.has(row.level)) throw new Error(`${where}: unknown level "${row.level}"`);
    const parentCode = row.parent_code ?? null;
    if (parentCode !== null && !codes.has(parentCode)) {
      // The loader resolves parents in one pass, so a parent must come before its children.
      throw new Error(`${where}: parent ${parentCode} does not precede ${code}`);
    }
    if (codes.has(code)) throw new Error(`${where}: duplicate code ${code}`);
    codes.add(code);
    // full_name is left out: the loader rebuilds it from the parent chain.
    lines.push(JSON.stringify([code, name, row.level, parentCode]));
  }
  return { text: lines.join('\n') + '\n', summary: `${lines.length} divisions` };
}

async function writeOutput(fileName, { text, summary }) {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxOutputBytes) {
    throw new Error(`${fileName} would be ${bytes} bytes, above the ${maxOutputBytes}-byte limit`);
  }
  await writeFile(path.join(resourcesDir, fileName), text, 'utf8');
  const written = await stat(path.join(resourcesDir, fileName));
  console.log(`resources/${fileName}: ${summary}, ${(written.size / 1024).toFixed(0)} KiB`);
}

async function main() {
  await mkdir(resourcesDir, { recursive: true });
  await writeOutput('categories.json', await buildCategories());
  await writeOutput('divisions.jsonl', await buildDivisions());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
