/**
 * docs/ARCHITECTURE.md draws the source tree; this keeps the drawing true: every folder and
 * every source file is named there (a variation by its id: one file per variation), and every
 * file the drawing names exists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { VARIATIONS } from '../src/variations/registry.js';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
const tree = /```\n(src\/[\s\S]*?)```/.exec(doc)?.[1] ?? '';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${join(dir, e.name)}/`, ...walk(join(dir, e.name))] : [join(dir, e.name)],
  );
}

const paths = walk(SRC).map((p) => relative(SRC, p));
const files = paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'));
const folders = paths.filter((p) => p.endsWith('/'));
const named = (word: string) =>
  new RegExp(`(^|[^\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w-]|$)`, 'm');
const variationFile = (p: string) => /^variations\/[^/]+\.ts$/.test(p);

test('the tree in docs/ARCHITECTURE.md is drawn', () => {
  assert.ok(tree.length > 1000, 'a fenced block starting with src/');
});

test('every source folder is in the drawing', () => {
  const missing = folders.filter((f) => !named(`${f.split('/').at(-2)}/`).test(tree));
  assert.deepEqual(missing, []);
});

test('every source file is in the drawing (a variation by its id)', () => {
  const ids = new Set(VARIATIONS.map((v) => v.id));
  const missing = files.filter((p) => {
    const base = p.split('/').at(-1)?.replace(/\.ts$/, '') ?? '';
    if (variationFile(p) && ids.has(base)) return false;
    return !named(base).test(tree) && !named(`${base}.ts`).test(tree);
  });
  assert.deepEqual(missing, []);
});

test('every file the drawing names exists', () => {
  const existing = new Set(files.map((p) => p.split('/').at(-1)));
  const mentioned = [...tree.matchAll(/[\w-]+\.ts\b/g)].map((m) => m[0]);
  assert.deepEqual(
    mentioned.filter((m) => !existing.has(m)),
    [],
  );
});
