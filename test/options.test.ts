/**
 * Options: defaults, CLI-style string conversion, and error messages in
 * sharp's shape (`Expected … for <variation>.<option> but received … of type …`),
 * through parseOptions directly and through planJob.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { planJob } from '../src/engine/run-job.js';
import { type ErrorCode, LogomillError } from '../src/errors.js';
import { Opt, parseOptions, Type } from '../src/options.js';
import { raster } from '../src/variations/raster.js';
import { recolor } from '../src/variations/recolor.js';
import { VARIATIONS } from '../src/variations/registry.js';
import { cutoutSettingsSchema as transparentSchema } from '../src/variations/shared/cutout-settings.js';

/** Runs `fn`, asserts it throws a LogomillError of `code`, and returns the error's message. */
function throwsWith(fn: () => unknown, code: ErrorCode): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof LogomillError, `expected a LogomillError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `wrong code; message: ${caught.message}`);
  return caught.message;
}

const RASTER_DEFAULTS = {
  // AVIF is one flag away, not a default: it is slow to encode
  formats: ['png', 'jpeg', 'webp', 'tiff', 'pdf'],
  sizes: [],
  source: 'transparent',
  backdrop: 'auto',
  quality: 90,
  dpi: 300,
  width: '0',
  effort: 'fast',
};

describe('parseOptions', () => {
  test('applies every default when no options are given', () => {
    assert.deepEqual(parseOptions(raster.schema, undefined, 'raster'), RASTER_DEFAULTS);
    assert.deepEqual(parseOptions(raster.schema, {}, 'raster'), RASTER_DEFAULTS);
    assert.deepEqual(parseOptions(transparentSchema, {}, 'transparent'), {
      background: 'auto',
      holes: 'auto',
      tolerance: 10,
      trim: true,
      padding: 0,
    });
  });

  test('keeps given values and fills in the rest', () => {
    assert.deepEqual(parseOptions(raster.schema, { quality: 75, formats: ['png'] }, 'raster'), {
      ...RASTER_DEFAULTS,
      quality: 75,
      formats: ['png'],
    });
  });

  test('converts CLI-style strings', () => {
    const r = parseOptions(
      raster.schema,
      { quality: '90', sizes: '512,1024', formats: 'png, webp', dpi: ' 600 ', backdrop: ' #C00 ' },
      'raster',
    );
    assert.equal(r.quality, 90);
    assert.deepEqual(r.sizes, [512, 1024]);
    assert.deepEqual(r.formats, ['png', 'webp']);
    assert.equal(r.dpi, 600);
    assert.equal(r.backdrop, '#C00');

    const t = parseOptions(
      transparentSchema,
      { holes: 'none', trim: 'false', tolerance: '12.5', padding: '4' },
      'transparent',
    );
    assert.deepEqual(t, { background: 'auto', holes: 'none', trim: false, tolerance: 12.5, padding: 4 });

    assert.deepEqual(parseOptions(raster.schema, { sizes: '' }, 'raster').sizes, []);
    assert.deepEqual(parseOptions(raster.schema, { sizes: '64' }, 'raster').sizes, [64]);
  });

  test('does not modify the object it is given', () => {
    const given = { quality: '90', sizes: '512,1024' };
    parseOptions(raster.schema, given, 'raster');
    assert.deepEqual(given, { quality: '90', sizes: '512,1024' });
  });

  test('out-of-range integer: exact message, for numbers and for strings', () => {
    const expected = 'Expected integer between 1 and 100 for raster.quality but received 300 of type number';
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { quality: 300 }, 'raster'), 'E_BAD_OPTION'),
      expected,
    );
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { quality: '300' }, 'raster'), 'E_BAD_OPTION'),
      expected,
    );
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { quality: 0 }, 'raster'), 'E_BAD_OPTION'),
      'Expected integer between 1 and 100 for raster.quality but received 0 of type number',
    );
  });

  test('a non-number for a number: the value is quoted and typed as a string', () => {
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { quality: 'abc' }, 'raster'), 'E_BAD_OPTION'),
      'Expected integer between 1 and 100 for raster.quality but received "abc" of type string',
    );
    assert.equal(
      throwsWith(() => parseOptions(transparentSchema, { tolerance: 0.5 }, 'transparent'), 'E_BAD_OPTION'),
      'Expected number between 1 and 100 for transparent.tolerance but received 0.5 of type number',
    );
    assert.equal(
      throwsWith(() => parseOptions(transparentSchema, { trim: 'yes' }, 'transparent'), 'E_BAD_OPTION'),
      'Expected boolean for transparent.trim but received "yes" of type string',
    );
  });

  // Regression (src/options.ts, via TypeBox Value.Convert, fixed): values for integer options are silently truncated
  // instead of refused: '1e2' → 1 (the user meant 100), '90.7' → 90, 1.5 → 1, and the boolean true → 1.
  // An integer option must either keep the number the user wrote or fail with E_BAD_OPTION.
  test('integer options never silently change the value given', () => {
    const changed: string[] = [];
    for (const given of ['1e2', '90.7', 1.5, true] as const) {
      let result: number | undefined;
      try {
        result = parseOptions(raster.schema, { quality: given }, 'raster').quality;
      } catch (err) {
        assert.ok(err instanceof LogomillError && err.code === 'E_BAD_OPTION', String(err));
        continue;
      }
      const meant = typeof given === 'boolean' ? Number.NaN : Number(given);
      if (result !== meant) changed.push(`${JSON.stringify(given)} → ${result}`);
    }
    assert.deepEqual(changed, []);
  });

  test('bad colour: exact message', () => {
    assert.equal(
      throwsWith(() => parseOptions(recolor.schema, { color: 'reddish' }, 'recolor'), 'E_BAD_OPTION'),
      'Expected a colour like #1a2b3c or navy (a CSS colour name) for recolor.color but received "reddish" of type string',
    );
    for (const color of ['#abcd', '#12345', 'c00', '#ggg', '#fff ; x']) {
      const msg = throwsWith(() => parseOptions(recolor.schema, { color }, 'recolor'), 'E_BAD_OPTION');
      assert.match(
        msg,
        /^Expected a colour like #1a2b3c or navy \(a CSS colour name\) for recolor\.color but received /,
      );
    }
    for (const color of ['#c00', '#C0C0C0', '#1a2b3c']) {
      assert.equal(parseOptions(recolor.schema, { color }, 'recolor').color, color);
    }
  });

  test('the spellings people type: CSS colour names, British "colour" and "grey"', () => {
    assert.equal(parseOptions(recolor.schema, { color: 'Navy' }, 'recolor').color, '#000080');
    assert.equal(parseOptions(recolor.schema, { color: 'rebeccapurple' }, 'recolor').color, '#663399');
    assert.equal(parseOptions(raster.schema, { backdrop: 'white' }, 'raster').backdrop, '#ffffff');
    // a keyword the schema takes stays a keyword (CSS has "transparent" too)
    assert.equal(parseOptions(raster.schema, { backdrop: 'transparent' }, 'raster').backdrop, 'transparent');
    const traceSchema = Type.Object({
      mode: Opt.choice('mono or color', ['mono', 'color'] as const, 'mono'),
      palette: Opt.colors('snap to these', 8),
    });
    assert.equal(parseOptions(traceSchema, { mode: 'colour' }, 'trace').mode, 'color');
    assert.deepEqual(parseOptions(traceSchema, { palette: 'red,#00ff00,Blue' }, 'trace').palette, [
      '#ff0000',
      '#00ff00',
      '#0000ff',
    ]);
    assert.deepEqual(parseOptions(traceSchema, { palette: ['grey'] }, 'trace').palette, ['#808080']);
    throwsWith(() => parseOptions(traceSchema, { mode: 'colours' }, 'trace'), 'E_BAD_OPTION');
  });

  test('bad backdrop: message lists colour, transparent and auto', () => {
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { backdrop: 'blueish' }, 'raster'), 'E_BAD_OPTION'),
      'Expected a colour like #1a2b3c or navy, transparent or auto for raster.backdrop but received "blueish" of type string',
    );
    for (const backdrop of ['#ffffffzz', 'xx#fff', 'autox', 'transparent1']) {
      throwsWith(() => parseOptions(raster.schema, { backdrop }, 'raster'), 'E_BAD_OPTION');
    }
    for (const backdrop of ['transparent', 'auto', '#fff', '#1a2b3c']) {
      assert.equal(parseOptions(raster.schema, { backdrop }, 'raster').backdrop, backdrop);
    }
  });

  test('the background decision: auto, keep, remove or a colour; holes: auto, none or all', () => {
    assert.equal(
      throwsWith(
        () => parseOptions(transparentSchema, { background: 'blueish' }, 'transparent'),
        'E_BAD_OPTION',
      ),
      'Expected a colour like #1a2b3c or navy, auto, keep or remove for transparent.background but received "blueish" of type string',
    );
    for (const background of ['auto', 'keep', 'remove', '#f1f0ec']) {
      assert.equal(parseOptions(transparentSchema, { background }, 'transparent').background, background);
    }
    assert.equal(
      throwsWith(() => parseOptions(transparentSchema, { holes: 'true' }, 'transparent'), 'E_BAD_OPTION'),
      'Expected one of "auto", "none", "all" for transparent.holes but received "true" of type string',
    );
  });

  test('choice: the message lists the allowed values', () => {
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { source: 'x' }, 'raster'), 'E_BAD_OPTION'),
      'Expected one of "transparent", "original" for raster.source but received "x" of type string',
    );
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { formats: 'png,bmp' }, 'raster'), 'E_BAD_OPTION'),
      'Expected list (at least 1, no repeats) of one of "png", "jpeg", "webp", "avif", "tiff", "pdf" for raster.formats but received [png,bmp] of type array',
    );
  });

  test('choice: every choice option of every variation lists all its values', () => {
    let checked = 0;
    for (const v of VARIATIONS) {
      for (const [key, prop] of Object.entries(v.schema.properties as Record<string, TSchema>)) {
        const anyOf = prop.anyOf as { const: string }[] | undefined;
        if (!anyOf) continue;
        const allowed = anyOf.map((x) => JSON.stringify(x.const)).join(', ');
        const msg = throwsWith(
          () => parseOptions(v.schema, { [key]: 'no-such-value' }, v.id),
          'E_BAD_OPTION',
        );
        assert.equal(
          msg,
          `Expected one of ${allowed} for ${v.id}.${key} but received "no-such-value" of type string`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 2, `only ${checked} choice options found`);
  });

  test('list of integers: message names the list and the range', () => {
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { sizes: '512,9000' }, 'raster'), 'E_BAD_OPTION'),
      'Expected list (at most 16) of integer between 16 and 8192 for raster.sizes but received [512,9000] of type array',
    );
  });

  test('unknown option key: E_BAD_OPTION naming it and the known keys', () => {
    const known = Object.keys(raster.schema.properties).join(', ');
    assert.ok(known.includes('quality'));
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, { qualty: 90 }, 'raster'), 'E_BAD_OPTION'),
      `Unknown option raster.qualty; known options: ${known}`,
    );
  });

  // Regression (src/options.ts, fixed): the unknown-key check is `schema.properties[key]`, which finds inherited
  // Object.prototype members, so `toString`, `constructor`, `__proto__`… are not reported as unknown; the error
  // (still E_BAD_OPTION, thanks to additionalProperties: false) reads "Expected value for raster.constructor
  // but received 1 of type number" instead.
  test('keys named like Object.prototype members are reported as unknown options', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      const msg = throwsWith(() => parseOptions(raster.schema, { [key]: 1 }, 'raster'), 'E_BAD_OPTION');
      assert.match(msg, new RegExp(`^Unknown option raster\\.${key}; known options: `));
    }
  });

  test('options that are not an object are refused', () => {
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, 5, 'raster'), 'E_BAD_OPTION'),
      'Expected an object of options for raster but received number',
    );
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, ['png'], 'raster'), 'E_BAD_OPTION'),
      'Expected an object of options for raster but received array',
    );
    assert.equal(
      throwsWith(() => parseOptions(raster.schema, null, 'raster'), 'E_BAD_OPTION'),
      'Expected an object of options for raster but received null',
    );
  });
});

describe('planJob', () => {
  test('with no arguments plans every variation, in registry order, with defaults', () => {
    const plan = planJob();
    assert.deepEqual(
      plan.variations.map((v) => v.variation.id),
      VARIATIONS.map((v) => v.id),
    );
    assert.ok(VARIATIONS.length >= 9);
    for (const { variation, options } of plan.variations) {
      assert.deepEqual(options, parseOptions(variation.schema, undefined, variation.id), variation.id);
    }
    const raster = plan.variations.find((v) => v.variation.id === 'raster');
    assert.deepEqual(raster?.options, RASTER_DEFAULTS);
    assert.deepEqual(plan.cutoutSettings, {
      background: 'auto',
      holes: 'auto',
      tolerance: 10,
      trim: true,
      padding: 0,
    });
    assert.deepEqual(
      planJob({ variations: 'all' }).variations.map((v) => v.variation.id),
      VARIATIONS.map((v) => v.id),
    );
  });

  test('takes the cutout settings given explicitly, checked like the transparent options', () => {
    const plan = planJob({ variations: ['black'], cutout: { holes: 'none', padding: 4 } });
    assert.deepEqual(plan.cutoutSettings, {
      background: 'auto',
      holes: 'none',
      tolerance: 10,
      trim: true,
      padding: 4,
    });
    throwsWith(() => planJob({ cutout: { tolerance: 0 } }), 'E_BAD_OPTION');
  });

  test('keeps the chosen variations, drops duplicates, converts CLI-style options', () => {
    const plan = planJob({
      variations: ['raster', 'black', 'raster'],
      options: { raster: { quality: '80', sizes: '512,1024' }, transparent: { holes: 'all', padding: '8' } },
    });
    assert.deepEqual(
      plan.variations.map((v) => v.variation.id),
      ['raster', 'black'],
    );
    assert.equal(plan.variations[0].options.quality, 80);
    assert.deepEqual(plan.variations[0].options.sizes, [512, 1024]);
    // The transparent variation's options govern the shared cutout even when it is not chosen.
    assert.deepEqual(plan.cutoutSettings, {
      background: 'auto',
      holes: 'all',
      tolerance: 10,
      trim: true,
      padding: 8,
    });
  });

  test('options of variations that were not chosen are still checked', () => {
    assert.equal(
      throwsWith(
        () => planJob({ variations: ['black'], options: { raster: { quality: 300 } } }),
        'E_BAD_OPTION',
      ),
      'Expected integer between 1 and 100 for raster.quality but received 300 of type number',
    );
  });

  test('out-of-range option: the same exact message as parseOptions', () => {
    assert.equal(
      throwsWith(
        () => planJob({ variations: ['raster'], options: { raster: { quality: 300 } } }),
        'E_BAD_OPTION',
      ),
      'Expected integer between 1 and 100 for raster.quality but received 300 of type number',
    );
    assert.equal(
      throwsWith(
        () => planJob({ variations: ['recolor'], options: { recolor: { color: 'redd' } } }),
        'E_BAD_OPTION',
      ),
      'Expected a colour like #1a2b3c or navy (a CSS colour name) for recolor.color but received "redd" of type string',
    );
    assert.equal(
      throwsWith(
        () => planJob({ variations: ['black'], options: { transparent: { padding: -1 } } }),
        'E_BAD_OPTION',
      ),
      'Expected integer between 0 and 2000 for transparent.padding but received -1 of type number',
    );
  });

  test('unknown option key through planJob names the variation and the key', () => {
    const msg = throwsWith(
      () => planJob({ variations: ['raster'], options: { raster: { qualty: 90 } } }),
      'E_BAD_OPTION',
    );
    assert.match(msg, /^Unknown option raster\.qualty; known options: .*\bquality\b/);
  });

  test('unknown variation id → E_UNKNOWN_VARIATION naming it and the known ones', () => {
    const known = VARIATIONS.map((v) => v.id).join(', ');
    assert.equal(
      throwsWith(() => planJob({ variations: ['raster', 'nope'] }), 'E_UNKNOWN_VARIATION'),
      `Unknown variation "nope"; known variations: ${known}.`,
    );
    // Options for an unknown variation are refused too, even if the list itself is fine.
    assert.equal(
      throwsWith(() => planJob({ variations: ['raster'], options: { rastr: {} } }), 'E_UNKNOWN_VARIATION'),
      `Unknown variation "rastr"; known variations: ${known}.`,
    );
    for (const id of ['constructor', '__proto__', 'RASTER', ' raster']) {
      throwsWith(() => planJob({ variations: [id] }), 'E_UNKNOWN_VARIATION');
    }
  });

  test('an empty variation list → E_BAD_OPTION', () => {
    assert.equal(
      throwsWith(() => planJob({ variations: [] }), 'E_BAD_OPTION'),
      'Expected at least one variation but received none',
    );
  });
});
