/**
 * sharp through its CommonJS build, for the trace bundle only: package.json's
 * `build:trace-bundle` aliases `sharp` to this file and defines `require` in the
 * bundle's banner. On Node 20 the CommonJS build loads in ≈ 60 ms of CPU against
 * ≈ 150 ms for the ESM build (the ESM loader reads and resolves its files one by
 * one); both are sharp's own builds of the same code, and nothing else in a
 * trace's process loads sharp. Imported nowhere else: `require` exists only in the bundle.
 */
import type sharpType from 'sharp';

// not a literal: the alias would send `require('sharp')` back to this file
const id = 'sharp';
export default require(id) as typeof sharpType;
