// The seed the Prisma ecosystem writes: Prisma Client 7 with @prisma/adapter-pg,
// one createMany per batch of rows, model after model in foreign-key order,
// and `connect` for implicit many-to-many relations. It loads exactly the rows
// of bench/seed_bench.cpp's plan (read from the text COPY files it wrote), so
// both contenders insert the same data.
//
//   node bench/prisma_seed.mjs CLIENT_DIR MANIFEST_JSON      (DATABASE_URL names the database)
//
// The manifest (Prisma 7's runtime data model no longer carries list flags
// or enum database names, so the benchmark writes them from the schema):
//   {"batch": N, "tables": [{"table", "model", "file", "columns": [{"field", "type", "list", "enum"}],
//                            "join": {"model", "field"} (implicit many-to-many tables only)}]}
// Tables come in load order.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const [clientDir, manifestPath] = process.argv.slice(2);
const { PrismaClient, Prisma } = require(`${clientDir}/index.js`);
const { PrismaPg } = require('@prisma/adapter-pg');

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

// COPY text format: \N is NULL; backslash escapes.
function unescape(text) {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (_, c) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

function parseArray(literal) {
  const inner = literal.slice(1, -1);
  if (inner === '') return [];
  return inner.split(',').map((item) => (item.startsWith('"') ? item.slice(1, -1).replace(/\\(.)/g, '$1') : item));
}

// A converter from COPY text to what Prisma Client takes, per column.
function converter(field) {
  let scalar;
  if (field.enum) {
    scalar = (text) => field.enum[text];
  } else {
    scalar = {
      String: (text) => text,
      Int: (text) => Number.parseInt(text, 10),
      BigInt: (text) => BigInt(text),
      Float: (text) => Number.parseFloat(text),
      Decimal: (text) => text,
      Boolean: (text) => text === 't',
      DateTime: (text) => new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')),
      Json: (text) => JSON.parse(text),
      Bytes: (text) => Buffer.from(text.slice(2), 'hex'),
    }[field.type];
  }
  if (field.list) return (text) => parseArray(text).map(scalar);
  return scalar;
}

function rowsOf(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.split('\t').map((v) => (v === '\\N' ? null : unescape(v))));
}

function delegateName(model) {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
let total = 0;
for (const table of manifest.tables) {
  const rows = rowsOf(table.file);
  if (table.join) {
    // _AToB: connect each row of A to its Bs, as a seed does through the relation.
    const byA = new Map();
    for (const [idA, idB] of rows) (byA.get(idA) ?? byA.set(idA, []).get(idA)).push({ id: idB });
    for (const [idA, targets] of byA) {
      await prisma[delegateName(table.join.model)].update({ where: { id: idA }, data: { [table.join.field]: { connect: targets } } });
    }
    total += rows.length;
    continue;
  }
  const fields = table.columns;
  const convert = fields.map(converter);
  const delegate = prisma[delegateName(table.model)];
  for (let start = 0; start < rows.length; start += manifest.batch) {
    const data = rows.slice(start, start + manifest.batch).map((row) => {
      const record = {};
      for (let c = 0; c < fields.length; ++c) {
        if (row[c] !== null) record[fields[c].field] = convert[c](row[c]);
        else record[fields[c].field] = fields[c].type === 'Json' ? Prisma.DbNull : null;
      }
      return record;
    });
    await delegate.createMany({ data });
  }
  total += rows.length;
}
await prisma.$disconnect();
console.log(JSON.stringify({ rows: total }));
