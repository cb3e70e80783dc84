// The anchor of bench/client_bench.cpp: the same two operations through
// Prisma Client 7 with @prisma/adapter-pg, on the same database.
//
//   node bench/client_prisma.mjs CLIENT_DIR ROWS_TO_CREATE REPETITIONS TAG   (DATABASE_URL names the database)
//
// Prints one JSON line: the time of each repetition, in milliseconds, of
// order.findMany({take: 10000, include: {user: true}}) and of
// product.createMany of ROWS_TO_CREATE rows (each followed by an untimed
// deleteMany of those rows), plus the row counts it saw.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [clientDir, rowsArg, repetitionsArg, tag] = process.argv.slice(2);
const { PrismaClient } = require(`${clientDir}/index.js`);
const { PrismaPg } = require('@prisma/adapter-pg');

const rowsToCreate = Number.parseInt(rowsArg, 10);
const repetitions = Number.parseInt(repetitionsArg, 10);
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });

// The rows bench/client_bench.cpp creates, built before the clock starts.
function products(round) {
  const rows = [];
  for (let i = 0; i < rowsToCreate; i++) {
    const n = String(i).padStart(6, '0');
    rows.push({ sku: `P${round}-${n}`, slug: `p${round}-${n}`, name: `Bench product ${i}`, price: `${(i % 10000) / 100}` });
  }
  return rows;
}

const result = { find_many_ms: [], create_many_ms: [], found: 0, with_user: 0, created: 0 };
await prisma.order.findMany({ take: 10, include: { user: true } });  // connect and warm up, untimed
for (let r = 0; r < repetitions; r++) {
  const start = process.hrtime.bigint();
  const orders = await prisma.order.findMany({ take: 10000, include: { user: true } });
  result.find_many_ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  result.found = orders.length;
  result.with_user = orders.filter((o) => o.user !== null).length;
}
for (let r = 0; r < repetitions; r++) {
  const data = products(`${tag}x${r}`);
  const start = process.hrtime.bigint();
  const { count } = await prisma.product.createMany({ data });
  result.create_many_ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  result.created = count;
  await prisma.product.deleteMany({ where: { sku: { startsWith: `P${tag}x${r}-` } } });
}
await prisma.$disconnect();
console.log(JSON.stringify(result));
