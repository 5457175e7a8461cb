#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): where the time went, without a GUI.
//   node bench/profile-summary.mjs FILE [--top N] [--match REGEX] [--skip-idle]
// Prints self time by package/area, the top functions by self time, and (with --match) the
// inclusive time of functions whose name or file matches REGEX.
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--match REGEX]');
  process.exit(2);
}
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const top = Number(opt('--top', 30));
const match = opt('--match', null);

const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// The in-process profiler's own frames (bench/gc-hook.cjs driving node:inspector) are left out.
const own = new Set();
for (const n of profile.nodes) {
  for (let cur = n.id; cur !== undefined; cur = parent.get(cur)) {
    const url = byId.get(cur).callFrame.url;
    if (url === 'node:inspector' || url.endsWith('/gc-hook.cjs')) {
      own.add(n.id);
      break;
    }
  }
}
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  if (own.has(id)) continue;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function area(cf) {
  const url = cf.url || '';
  if (!url) {
    if (cf.functionName.startsWith('(')) return cf.functionName;
    return '(native/builtin)';
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(5).split('/').slice(0, 2).join('/') : url.slice(5)}`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `app:${url.slice(dist + 6).split('/')[0]}`;
  return path.basename(url);
}

const label = (cf) => `${cf.functionName || '(anonymous)'} ${cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : ''}`.trim();
function shortUrl(url) {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

let total = 0;
let idle = 0;
const areas = new Map();
const funcs = new Map();
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  total += t;
  if (cf.functionName === '(idle)') idle += t;
  const a = area(cf);
  areas.set(a, (areas.get(a) ?? 0) + t);
  const l = label(cf);
  funcs.set(l, (funcs.get(l) ?? 0) + t);
}
const busy = total - idle;
const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
const ms = (t) => `${(t / 1000).toFixed(0).padStart(7)} ms`;

console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s not idle (percentages are of the non-idle time)`);
console.log('\nSelf time by area:');
for (const [a, t] of [...areas].filter(([a]) => a !== '(idle)').sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`  ${pct(t)} ${ms(t)}  ${a}`);
console.log(`\nTop ${top} functions by self time:`);
for (const [l, t] of [...funcs].filter(([l]) => !l.startsWith('(idle)')).sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(t)} ${ms(t)}  ${l}`);

if (match) {
  // Inclusive time: every sample counts once for each distinct matching function on its stack.
  const re = new RegExp(match);
  const incl = new Map();
  for (const [id, t] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur).callFrame);
      if (re.test(l) && !seen.has(l)) {
        seen.add(l);
        incl.set(l, (incl.get(l) ?? 0) + t);
      }
    }
  }
  console.log(`\nInclusive time of functions matching /${match}/:`);
  for (const [l, t] of [...incl].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(t)} ${ms(t)}  ${l}`);
}
