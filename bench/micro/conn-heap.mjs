// What an idle connection keeps on the server's heap, by kind of object (issue 16, item 2): a
// heap snapshot of the server at rest (after a warm-up) and one with CONNS idle connections (lean
// clients, distinct users, each welcomed), both after a full GC; the difference per connection,
// grouped by constructor (objects), by closure name, and by type (strings, arrays, code, ...).
//   taskset -c 1 node bench/micro/conn-heap.mjs [CONNS] [product|baseline] [PRODUCT_DIR]
// (needs `npm run build`; the snapshots go to bench/results/conn-heap-<time>/ and can be opened in
// Chrome DevTools' Memory tab, "Comparison" view, for the retainers).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeAll, connectMany } from '../lib/lean-ws.mjs';
import { BENCH_SECRET, Server } from '../lib/servers.mjs';
import { sleep } from '../lib/stats.mjs';
import { mintMany } from '../lib/tokens.mjs';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CONNS = Number(process.argv[2] ?? 2000);
const KIND = process.argv[3] ?? 'product';
const PRODUCT_DIR = path.resolve(process.argv[4] ?? path.dirname(BENCH_DIR));
const outDir = path.join(BENCH_DIR, 'results', `conn-heap-${new Date().toISOString().replace(/[:.]/g, '-')}`);
fs.mkdirSync(outDir, { recursive: true });

/** Per group key: [count, self bytes] of a .heapsnapshot. */
export function summarizeSnapshot(file) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { node_fields: fields, node_types: [types] } = snap.snapshot.meta;
  const width = fields.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const { nodes, strings } = snap;
  const groups = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]];
    const name = strings[nodes[i + iName]];
    let key;
    if (type === 'object' || type === 'native') key = `${type} ${name}`;
    else if (type === 'closure') key = `closure ${name || '(anonymous)'}`;
    else if (type === 'hidden' || type === 'array' || type === 'object shape') key = `${type} ${name.slice(0, 60)}`;
    else key = type; // string, concatenated/sliced string, number, code, ...
    const g = groups.get(key) ?? [0, 0];
    g[0]++;
    g[1] += nodes[i + iSize];
    groups.set(key, g);
  }
  return groups;
}

const server = await Server.start(KIND, { productDir: PRODUCT_DIR, outDir, label: `conn-heap-${KIND}`, core: null });
let clients = [];
try {
  const tokens = await mintMany('h', CONNS + 200, BENCH_SECRET);
  const options = (i) => ({ host: '127.0.0.1', port: server.port, token: tokens[i], localAddress: `127.0.0.${2 + (i % 8)}` });
  const warm = await connectMany(200, (i) => options(CONNS + i), { concurrency: 32 });
  closeAll(warm.clients);
  await server.waitConnections(0);
  await sleep(500);
  const before = path.join(outDir, `${KIND}-0.heapsnapshot`);
  await server.command(`heap-snapshot ${before}`);
  const opened = await connectMany(CONNS, options, { concurrency: 32 });
  if (opened.failures) throw new Error(`${opened.failures} connections failed: ${opened.firstError?.message}`);
  clients = opened.clients;
  await server.waitConnections(CONNS);
  await sleep(500);
  const after = path.join(outDir, `${KIND}-${CONNS}.heapsnapshot`);
  await server.command(`heap-snapshot ${after}`);
  const a = summarizeSnapshot(before);
  const b = summarizeSnapshot(after);
  const rows = [];
  let total = 0;
  for (const [key, [count, size]] of b) {
    const [c0, s0] = a.get(key) ?? [0, 0];
    const dSize = (size - s0) / CONNS;
    total += dSize;
    if (Math.abs(dSize) >= 4) rows.push({ key, perConn: (count - c0) / CONNS, bytesPerConn: dSize });
  }
  rows.sort((x, y) => y.bytesPerConn - x.bytesPerConn);
  console.log(`${KIND}: ${CONNS} idle connections, self size per connection by group (>= 4 B), total ${total.toFixed(0)} B`);
  console.log('| group | objects per conn | bytes per conn |\n|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.key} | ${r.perConn.toFixed(2)} | ${r.bytesPerConn.toFixed(0)} |`);
  console.log(`snapshots: ${path.relative(process.cwd(), outDir)}`);
} finally {
  closeAll(clients);
  await server.stop();
}
process.exit(0);
