/**
 * Every output of every variation for the logos given, one line each: `<logo> <variation>/<name>
 * <sha256>`, plus each logo's failures. Run it before and after a refactor that must not change
 * a byte, and diff the two lists.
 *
 *   node --import tsx scripts/output-hashes.ts examples/*.png test/fixtures/customer/box-*.png > before.txt
 */
import { basename } from 'node:path';
import { processLogo } from '../src/index.js';

for (const file of process.argv.slice(2)) {
  const result = await processLogo(file, { variations: 'all' });
  for (const o of result.outputs)
    process.stdout.write(`${basename(file)} ${o.variation}/${o.name} ${o.sha256}\n`);
  for (const f of result.failures)
    process.stdout.write(`${basename(file)} ${f.variation} FAILED ${f.code}\n`);
}
