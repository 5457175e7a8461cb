'use strict';
// Benchmark-only preload, for the product and the baseline alike:
//   node --expose-gc --require bench/gc-hook.cjs <server>
// On SIGWINCH it reads a command from BENCH_CMD_FILE and answers in BENCH_MEM_FILE (written to a
// temp file, then renamed, so the reader never sees half of it), as JSON with an increasing `seq`:
//   mem                  full GC (twice), then process.memoryUsage()
//   profile-start        starts the V8 CPU profiler (inspector, in-process)
//   profile-stop FILE    stops it and writes the .cpuprofile to FILE
//   heap-snapshot FILE   full GC, then a V8 heap snapshot to FILE (bench/micro/conn-heap.mjs)
// SIGWINCH, not SIGUSR2: Nest's enableShutdownHooks() treats SIGUSR2 as a shutdown signal, and
// SIGUSR1 starts Node's inspector. SIGWINCH is ignored by default and only used by TTYs.
const fs = require('node:fs');

const replyFile = process.env.BENCH_MEM_FILE;
const cmdFile = process.env.BENCH_CMD_FILE;
let seq = 0;
let session = null;

function reply(data) {
  seq += 1;
  const tmp = `${replyFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ seq, time: Date.now(), ...data }));
  fs.renameSync(tmp, replyFile);
}

function readCommand() {
  try {
    return (cmdFile && fs.readFileSync(cmdFile, 'utf8').trim()) || 'mem';
  } catch {
    return 'mem';
  }
}

if (replyFile) {
  process.on('SIGWINCH', () => {
    const cmd = readCommand();
    try {
      if (cmd === 'mem') {
        if (typeof global.gc === 'function') {
          global.gc();
          global.gc();
        }
        reply({ gc: typeof global.gc === 'function', ...process.memoryUsage() });
      } else if (cmd === 'profile-start') {
        const inspector = require('node:inspector');
        session = new inspector.Session();
        session.connect();
        session.post('Profiler.enable', () =>
          session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start', () => reply({ profiling: true }))),
        );
      } else if (cmd.startsWith('profile-stop ')) {
        const file = cmd.slice('profile-stop '.length);
        if (!session) return reply({ error: 'not profiling' });
        session.post('Profiler.stop', (err, result) => {
          if (err) return reply({ error: String(err) });
          fs.writeFileSync(file, JSON.stringify(result.profile));
          session.disconnect();
          session = null;
          reply({ profile: file });
        });
      } else if (cmd.startsWith('heap-snapshot ')) {
        if (typeof global.gc === 'function') global.gc();
        const file = require('node:v8').writeHeapSnapshot(cmd.slice('heap-snapshot '.length));
        reply({ snapshot: file });
      } else reply({ error: `unknown command ${cmd}` });
    } catch (err) {
      reply({ error: String(err && err.stack ? err.stack : err) });
    }
  });
}

