/**
 * A logo's manifest.json: the one shape the CLI, the library (`toManifest`) and the service (each
 * item's folder and the job's zip) write. No pixel data, no timings (reproducible), each file's
 * path relative to the logo's folder.
 */
import { safeSegment } from '../io/write.js';
import { VERSION } from '../version.js';

/** What a manifest is made from: a logo's result, with any bytes, paths or storage keys it carries. */
export interface ManifestSource {
  input: unknown;
  background: unknown;
  analysis?: unknown;
  warnings: unknown;
  outputs: readonly { variation: string; name: string }[];
  failures: unknown;
}

export function logoManifest(name: string, r: ManifestSource): Record<string, unknown> {
  return {
    logomill: VERSION,
    name,
    input: r.input,
    background: r.background,
    analysis: r.analysis ?? null,
    warnings: r.warnings,
    outputs: r.outputs.map((output) => {
      const { data: _data, path: _path, key: _key, ...o } = output as typeof output & Record<string, unknown>;
      return { ...o, file: `${safeSegment(output.variation)}/${safeSegment(output.name, 'file')}` };
    }),
    failures: r.failures,
  };
}
