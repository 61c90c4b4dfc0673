/**
 * Option schemas (TypeBox, i.e. JSON Schema) and one validator. Each variation
 * declares its options as a TypeBox object with defaults; the same schemas
 * drive the library, the CLI flags and (later) the HTTP API and web forms.
 *
 * Errors follow sharp's shape:
 *   Expected integer between 1 and 100 for raster.quality but received 300 of type number
 */
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import cssColorNames from 'color-name';
import { toHex } from './color/color.js';
import { LogomillError } from './errors.js';
import { LENGTH_PATTERN } from './length.js';

const HEX_COLOR = '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$';

/** Reusable option schemas. */
export const Opt = {
  color: (description: string, dflt: string) =>
    Type.String({ pattern: HEX_COLOR, default: dflt, description, 'x-kind': 'color' }),
  /** A colour or one keyword that means "no colour", e.g. a garment colour or `none`. */
  colorOr: (description: string, keyword: string, dflt: string) =>
    Type.String({ pattern: `${HEX_COLOR}|^${keyword}$`, default: dflt, description, 'x-kind': 'color' }),
  /** A colour, `transparent`, or `auto` (the logo's detected background colour, else white): what goes behind the art. */
  backdrop: (description: string, dflt: 'auto' | 'transparent' | string) =>
    Type.String({
      pattern: `${HEX_COLOR}|^transparent$|^auto$`,
      default: dflt,
      description,
      'x-kind': 'background',
    }),
  /** What the logo's own background is: `auto` (the art analysis decides), `keep`, `remove` or its colour. */
  backgroundChoice: (description: string) =>
    Type.String({
      pattern: `${HEX_COLOR}|^auto$|^keep$|^remove$`,
      default: 'auto',
      description,
      'x-kind': 'background',
    }),
  text: (description: string, dflt: string, maxLength: number) =>
    Type.String({ default: dflt, description, minLength: 1, maxLength }),
  integer: (description: string, dflt: number, minimum: number, maximum: number) =>
    Type.Integer({ default: dflt, minimum, maximum, description }),
  number: (description: string, dflt: number, minimum: number, maximum: number) =>
    Type.Number({ default: dflt, minimum, maximum, description }),
  boolean: (description: string, dflt: boolean) => Type.Boolean({ default: dflt, description }),
  /** A physical length such as "3mm", "0.125in" or "12px" (src/length.ts parses it). */
  length: (description: string, dflt: string) =>
    Type.String({ pattern: LENGTH_PATTERN, default: dflt, description, 'x-kind': 'length' }),
  choice: <T extends string>(description: string, values: readonly T[], dflt: T) =>
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { default: dflt, description },
    ),
  /** A list of colours, e.g. "#112233,#ffcc00" on the command line. */
  colors: (description: string, maxItems: number) =>
    Type.Array(Type.String({ pattern: HEX_COLOR, 'x-kind': 'color' }), {
      default: [],
      description,
      maxItems,
    }),
  sizes: (description: string, minimum: number, maximum: number) =>
    Type.Array(Type.Integer({ minimum, maximum }), { default: [], description, maxItems: 16 }),
  formats: <T extends string>(description: string, values: readonly T[], dflt: readonly T[]) =>
    Type.Array(Type.Union(values.map((v) => Type.Literal(v))), {
      default: [...dflt],
      description,
      minItems: 1,
      uniqueItems: true,
    }),
};

function describe(schema: TSchema): string {
  const s = schema as Record<string, unknown> & TSchema;
  if (s.anyOf) {
    const lits = (s.anyOf as TSchema[]).map((x) => (x as { const?: unknown }).const);
    return `one of ${lits.map((l) => JSON.stringify(l)).join(', ')}`;
  }
  switch (s.type) {
    case 'integer':
    case 'number':
      return `${s.type} between ${s.minimum} and ${s.maximum}`;
    case 'boolean':
      return 'boolean';
    case 'array': {
      const limits = [
        s.minItems ? `at least ${s.minItems}` : '',
        s.maxItems !== undefined ? `at most ${s.maxItems}` : '',
        s.uniqueItems ? 'no repeats' : '',
      ].filter(Boolean);
      return `list (${limits.join(', ')}) of ${describe(s.items as TSchema)}`;
    }
    case 'string':
      if (s['x-kind'] === 'color') return 'a colour like #1a2b3c or navy (a CSS colour name)';
      if (s['x-kind'] === 'background') {
        const words = [...String(s.pattern).matchAll(/\^([a-z]+)\$/g)].map((m) => m[1]);
        return `a colour like #1a2b3c or navy, ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
      }
      if (s['x-kind'] === 'length') return 'a length like 3mm, 0.125in or 12px';
      return `text of 1 to ${s.maxLength} characters`;
    default:
      return 'value';
  }
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function render(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.join(',')}]` : String(v);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Converts CLI-style strings to the schema's type. Only exact forms convert
 * ("90", "1e2", "true", "512,1024"); anything else is left as it is so that
 * validation reports it, rather than being silently truncated ("90.7" → 90).
 */
/**
 * The spellings people type, turned into the ones the schema takes: a CSS colour name for a
 * colour (`navy` → `#000080`), British spelling for a choice (`colour` → `color`, `grey` → `gray`).
 */
function spelling(schema: TSchema, t: string): string {
  const kind = schema['x-kind'];
  if ((kind === 'color' || kind === 'background') && typeof schema.pattern === 'string') {
    if (new RegExp(schema.pattern).test(t)) return t;
    const rgb = (cssColorNames as Record<string, [number, number, number] | undefined>)[t.toLowerCase()];
    return rgb ? toHex({ r: rgb[0], g: rgb[1], b: rgb[2] }) : t;
  }
  if (Array.isArray(schema.anyOf)) {
    const allowed = schema.anyOf.map((c: TSchema) => c.const);
    if (allowed.includes(t)) return t;
    const american = t.toLowerCase().replaceAll('colour', 'color').replaceAll('grey', 'gray');
    return allowed.includes(american) ? american : t;
  }
  return t;
}

function coerce(schema: TSchema, v: unknown): unknown {
  if (Array.isArray(v) && schema.type === 'array') return v.map((x) => coerce(schema.items as TSchema, x));
  if (typeof v !== 'string') return v;
  const t = spelling(schema, v.trim());
  switch (schema.type) {
    case 'integer':
    case 'number':
      return NUMBER.test(t) ? Number(t) : v;
    case 'boolean':
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : v;
    case 'array':
      return t === '' ? [] : t.split(',').map((x) => coerce(schema.items as TSchema, x.trim()));
    case 'string':
      return t;
    default:
      return t;
  }
}

/**
 * Applies defaults, converts CLI-style strings (`"300"`, `"true"`, `"512,1024"`)
 * and validates. Unknown keys are refused.
 *
 * @example
 *   parseOptions(schema, { quality: '90' }, 'raster') // → { quality: 90, … }
 */
export function parseOptions<T extends TObject>(schema: T, input: unknown, label: string): Static<T> {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected an object of options for ${label} but received ${typeOf(input)}`,
    );
  }
  const given: Record<string, unknown> = {};
  for (const [key, v] of Object.entries((input as Record<string, unknown>) ?? {})) {
    if (!Object.hasOwn(schema.properties, key)) {
      const known = Object.keys(schema.properties).join(', ') || 'none';
      throw new LogomillError('E_BAD_OPTION', `Unknown option ${label}.${key}; known options: ${known}`);
    }
    given[key] = coerce(schema.properties[key] as TSchema, v);
  }
  const value = Value.Default(schema, given) as Record<string, unknown>;
  const first = Value.Errors(schema, value).First();
  if (first) {
    const key = first.path.split('/').filter(Boolean)[0] ?? '';
    const prop = (schema.properties[key] as TSchema | undefined) ?? first.schema;
    const v = value[key] ?? first.value;
    throw new LogomillError(
      'E_BAD_OPTION',
      `Expected ${describe(prop)} for ${label}.${key} but received ${render(v)} of type ${typeOf(v)}`,
    );
  }
  return value as Static<T>;
}

/**
 * Every option of `input` that `parseOptions` would refuse, each checked on its own: what a form
 * shows beside each field (POST /api/options/check), in the same words the CLI and the API use.
 */
export function optionProblems(
  schema: TObject,
  input: Record<string, unknown>,
  label: string,
): { option: string; message: string }[] {
  const problems: { option: string; message: string }[] = [];
  for (const [option, value] of Object.entries(input)) {
    try {
      parseOptions(schema, { [option]: value }, label);
    } catch (err) {
      if (!(err instanceof LogomillError)) throw err;
      problems.push({ option, message: err.message });
    }
  }
  return problems;
}

export type { Static, TObject };
export { Type };
