/**
 * Turns the variations' option schemas into CLI flags. A flag such as
 * `--background #fff` sets that option on every chosen variation that has it;
 * `--set recolor.color=#c00` sets one variation's option precisely.
 */

import type { TSchema } from '@sinclair/typebox';
import type { Command } from 'commander';
import { resolveConfig } from '../config.js';
import { LogomillError } from '../errors.js';
import { listVariations } from '../index.js';

interface FlagInfo {
  key: string;
  flag: string;
  attr: string;
  boolean: boolean;
  users: string[];
  description: string;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** One flag per distinct option key across all variations (or only those in `only`). */
export function variationFlags(only?: readonly string[]): FlagInfo[] {
  const byKey = new Map<string, FlagInfo>();
  for (const v of listVariations().filter((x) => !only || only.includes(x.id))) {
    for (const [key, schema] of Object.entries(v.options.properties as Record<string, TSchema>)) {
      const existing = byKey.get(key);
      if (existing) {
        existing.users.push(v.id);
        continue;
      }
      byKey.set(key, {
        key,
        flag: kebab(key),
        attr: camel(kebab(key)),
        boolean: schema.type === 'boolean',
        users: [v.id],
        description: String(schema.description ?? key),
      });
    }
  }
  return [...byKey.values()];
}

/** Reserved flag names of the `process` command that variation options must not shadow. */
const RESERVED = new Set(['out', 'variations', 'json', 'set']);

/** What `process` and `batch` share: the output folder, the variation list, `--set` and the variations' flags. */
export interface JobFlags extends Record<string, unknown> {
  out: string;
  variations: string;
  set: string[];
}

export function addJobFlags(cmd: Command): Command {
  cmd
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--variations <list>', 'comma-separated variation ids, or all', 'all')
    .option(
      '--set <variation.option=value>',
      'set one variation option (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    );
  addVariationFlags(cmd);
  return cmd;
}

export function addVariationFlags(cmd: Command, only?: readonly string[]): void {
  for (const f of variationFlags(only)) {
    if (RESERVED.has(f.attr)) throw new Error(`variation option ${f.key} clashes with a CLI flag`);
    const users = `(${f.users.join(', ')})`;
    if (f.boolean) {
      cmd.option(`--${f.flag} [bool]`, `${f.description} ${users}`);
      cmd.option(`--no-${f.flag}`, `turn ${f.flag} off`);
    } else {
      cmd.option(`--${f.flag} <value>`, `${f.description} ${users}`);
    }
  }
}

/** Builds per-variation options from parsed flags and `--set` pairs. */
export function collectVariationOptions(
  flags: Record<string, unknown>,
  chosen: readonly string[],
  sets: readonly string[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of variationFlags()) {
    const value = flags[f.attr];
    if (value === undefined) continue;
    // the transparent variation's options define the shared cutout: they apply whatever is chosen
    const targets = f.users.filter((id) => chosen.includes(id) || id === 'transparent');
    if (targets.length === 0) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Option --${f.flag} is used by ${f.users.join(', ')}, none of which is among the chosen variations.`,
      );
    }
    for (const id of targets) {
      out[id] ??= {};
      out[id][f.key] = value;
    }
  }
  for (const pair of sets) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9]+)=(.*)$/s.exec(pair);
    if (!m) {
      throw new LogomillError(
        'E_BAD_OPTION',
        `Expected --set variation.option=value but received ${JSON.stringify(pair)}`,
      );
    }
    out[m[1]] ??= {};
    out[m[1]][m[2]] = m[3];
  }
  return out;
}

/** Flag options over the defaults of `logomill.config.json`'s `options` key. */
export function withFileOptions(
  options: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [id, o] of Object.entries(resolveConfig().options)) out[id] = { ...o };
  for (const [id, o] of Object.entries(options)) out[id] = { ...out[id], ...o };
  return out;
}
