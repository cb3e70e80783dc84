// Times Prisma's own schema validation inside node, without node's start-up:
// loads @prisma/prisma-schema-wasm (the engine of Prisma 7.10, pinned in
// tools/npm), validates once to warm up and to report the verdict, then
// times `runs` more validations with the monotonic clock.
//
//   node bench/prisma_validate_timer.mjs NPM_DIR SCHEMA RUNS
// prints {"verdict": "valid"|<error>, "nanoseconds": [..one per run..]}
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [npmDir, schema, runs] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), 'package.json'));
const psl = require('@prisma/prisma-schema-wasm');
const text = fs.readFileSync(schema, 'utf8');
const params = JSON.stringify({ prismaSchema: [[path.basename(schema), text]], noColor: true });

let verdict = 'valid';
try {
  psl.validate(params);
} catch (e) {
  verdict = String(e.message ?? e).slice(0, 300);
}
const nanoseconds = [];
for (let i = 0; i < Number(runs); i++) {
  const start = process.hrtime.bigint();
  try {
    psl.validate(params);
  } catch (e) {
    // the same verdict every time
  }
  nanoseconds.push(Number(process.hrtime.bigint() - start));
}
process.stdout.write(`${JSON.stringify({ verdict, nanoseconds })}\n`);
