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
import { LogomillError } from './errors.js';

const HEX_COLOR = '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$';

/** Reusable option schemas. */
export const Opt = {
  color: (description: string, dflt: string) =>
    Type.String({ pattern: HEX_COLOR, default: dflt, description, 'x-kind': 'color' }),
  /** A colour, `transparent`, or `auto` (the logo's detected background colour, else white). */
  background: (description: string, dflt: 'auto' | 'transparent' | string) =>
    Type.String({
      pattern: `${HEX_COLOR}|^transparent$|^auto$`,
      default: dflt,
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
  choice: <T extends string>(description: string, values: readonly T[], dflt: T) =>
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { default: dflt, description },
    ),
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
    case 'array':
      return `list of ${describe(s.items as TSchema)}`;
    case 'string':
      if (s['x-kind'] === 'color') return 'a colour like #1a2b3c';
      if (s['x-kind'] === 'background') return 'a colour like #1a2b3c, transparent or auto';
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
  const given = { ...((input as Record<string, unknown>) ?? {}) };
  for (const key of Object.keys(given)) {
    const prop = schema.properties[key] as TSchema | undefined;
    if (!prop) {
      const known = Object.keys(schema.properties).join(', ') || 'none';
      throw new LogomillError('E_BAD_OPTION', `Unknown option ${label}.${key}; known options: ${known}`);
    }
    const v = given[key];
    if (prop.type === 'array' && typeof v === 'string') {
      given[key] = v === '' ? [] : v.split(',').map((x) => x.trim());
    }
    if (prop.type === 'string' && typeof v === 'string') given[key] = v.trim();
  }
  const value = Value.Convert(schema, Value.Default(schema, given)) as Record<string, unknown>;
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

export type { Static, TObject };
export { Type };
