/**
 * Shared types of the tracer benchmark (bench/). The benchmark is a dev tool:
 * nothing in src/ imports it, and it is not part of CI.
 */
import type { RgbaImage } from '../src/io/image.js';

export type { RgbaImage };

/** 'mono' tracers produce one black shape; 'color' tracers reproduce the colours. */
export type TraceMode = 'mono' | 'color';

/**
 * Anything the benchmark can run. `file` is the variant's encoded bytes exactly
 * as a user would upload them (PNG for the clean and on-white variants, JPEG
 * for the JPEG variant); `rgba` is the same image already decoded (straight
 * alpha, 4 channels even for the JPEG). A tracer uses whichever it likes; the
 * timing covers the whole call. It resolves to an SVG document.
 */
export interface Tracer {
  name: string;
  mode: TraceMode;
  trace(file: Buffer, rgba: RgbaImage): Promise<string>;
}

/** The three input variants of each corpus logo. */
export type Variant = 'clean' | 'white' | 'jpeg';
export const VARIANTS: readonly Variant[] = ['clean', 'white', 'jpeg'];
