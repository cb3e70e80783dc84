// Reference answers for `migrate dev` from Prisma's own schema engine (the
// WebAssembly build the oracle in ../shared/prisma-oracle installs), for the
// engine calls behind `prisma migrate dev` that the oracle does not expose.
// Run by ./regenerate-golden; never by the tests themselves.
//
//   node prisma-dev.mjs diagnose --url URL --migrations DIR
//        devDiagnostic: its JSON (the reset reason, when there is one)
//   node prisma-dev.mjs check --url URL --schema FILE
//        the destructive change checker against the data at URL, through
//        schemaPush without force: its JSON {executedSteps, warnings, unexecutable}
//        (the steps run only when there is nothing to warn about)
//
// The WebAssembly engine gives createMigration and evaluateDataLoss no shadow
// database on PostgreSQL, so the migration file itself is compared through
// `oracle diff --from migrations:DIR --to schema:FILE --script` and the
// checker's messages through `check`.
//
// Needs ORACLE_HOME (default ~/.cache/prisma-oracle) with the oracle's npm
// packages installed (run the oracle once).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const home = process.env.ORACLE_HOME || path.join(os.homedir(), '.cache', 'prisma-oracle');
const require = createRequire(path.join(home, 'package.json'));

function options(argv) {
  const out = { command: argv[0] };
  for (let i = 1; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

const scratch = [];

async function dropScratch(url) {
  if (scratch.length === 0) return;
  const pg = require('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const name of scratch) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

async function engine(url, schemaFile) {
  // The same start-up as the oracle: PostgreSQL's internal "char" columns as text.
  const pg = require('pg');
  for (const cls of [pg.Client, pg.Pool]) {
    const query = cls.prototype.query;
    cls.prototype.query = function patched(...args) {
      const fix = (res) => {
        for (const f of res?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
        return res;
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err, res) => last(err, err ? res : fix(res));
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      return result && typeof result.then === 'function' ? result.then(fix) : result;
    };
  }
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = await import(bgPath);
  const wasm = await WebAssembly.compile(fs.readFileSync(bgPath.replace(/\.js$/, '.wasm')));
  const instance = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  // The engine connects once for the database itself, then asks the same
  // factory again whenever it needs a shadow database: each later connection
  // gets a fresh scratch database, dropped again at exit.
  const main = new PrismaPg({ connectionString: url });
  let connections = 0;
  const shadow = async () => {
    const name = `prisma_dev_reference_${process.pid}_${scratch.length}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    scratch.push(name);
    const target = new URL(url);
    target.pathname = `/${name}`;
    return new PrismaPg({ connectionString: target.toString() }).connect();
  };
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => (connections++ === 0 ? main.connect() : shadow()),
    connectToShadowDb: shadow,
  });
  const datamodels = schemaFile ? [[schemaFile, fs.readFileSync(schemaFile, 'utf8')]] : undefined;
  return bg.SchemaEngine.new({ datamodels }, () => {}, factory);
}

function migrationsList(dir) {
  const baseDir = path.resolve(dir);
  const lock = path.join(baseDir, 'migration_lock.toml');
  const names = fs.existsSync(baseDir)
    ? fs.readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: fs.readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') } },
    })),
  };
}

const filters = { externalTables: [], externalEnums: [] };

async function main() {
  const args = options(process.argv.slice(2));
  const schema = () => ({ files: [{ path: args.schema, content: fs.readFileSync(args.schema, 'utf8') }] });
  const e = await engine(args.url, args.schema);
  if (args.command === 'diagnose') {
    const out = await e.devDiagnostic({ migrationsList: migrationsList(args.migrations), filters });
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (args.command === 'check') {
    const out = await e.schemaPush({ force: false, schema: schema(), filters });
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    throw new Error('usage: prisma-dev.mjs diagnose|check ...');
  }
  await dropScratch(args.url);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
