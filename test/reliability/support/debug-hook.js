// Preloaded into the server (`node --expose-gc --require debug-hook.js dist/main.js`) by the
// reliability suites only, never in production. It adds two test hooks:
//   SIGWINCH -> prints one line `DEBUG_DUMP {"memory":...,"resources":{...}}`: process.memoryUsage()
//              after full GCs, and process.getActiveResourcesInfo() counted by kind;
//   SIGURG   -> blocks the event loop for DEBUG_STALL_MS (default 1500 ms), then prints DEBUG_STALLED.
// Signals, not an HTTP route: the hook must not add a socket, timer or handle the soak would count.
// Not SIGUSR2 or SIGHUP: main.ts logs and ignores them (finding F4), and a server without this hook
// would log lines the suites do not expect. SIGWINCH and SIGURG are ignored by default.

// Pending timers: getActiveResourcesInfo() leaves out unref'd ones (the server unrefs all of its
// own), so the global timer functions are wrapped to count timers set and not yet fired or cleared.
const pending = new Set();
const { setTimeout: setT, clearTimeout: clearT, setInterval: setI, clearInterval: clearI } = global;
global.setTimeout = function (fn, ms, ...args) {
  const timer = setT(function (...a) {
    pending.delete(timer);
    return typeof fn === 'function' ? fn.apply(this, a) : undefined;
  }, ms, ...args);
  pending.add(timer);
  return timer;
};
global.setInterval = function (fn, ms, ...args) {
  const timer = setI(fn, ms, ...args);
  pending.add(timer);
  return timer;
};
global.clearTimeout = (timer) => (pending.delete(timer), clearT(timer));
global.clearInterval = (timer) => (pending.delete(timer), clearI(timer));

process.on('SIGWINCH', () => {
  for (let i = 0; i < 3; i++) global.gc?.();
  const resources = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  process.stdout.write(`DEBUG_DUMP ${JSON.stringify({ memory: process.memoryUsage(), resources, timers: pending.size })}\n`);
});
process.on('SIGURG', () => {
  const end = Date.now() + Number(process.env.DEBUG_STALL_MS ?? 1500);
  while (Date.now() < end);
  process.stdout.write('DEBUG_STALLED\n');
});
// DEBUG_READY once the server listens (the suites run it at LOG_LEVEL=warn, without a "listening" line).
const ready = setInterval(() => {
  if (!process.getActiveResourcesInfo().includes('TCPServerWrap')) return;
  clearInterval(ready);
  process.stdout.write('DEBUG_READY\n');
}, 20);
ready.unref();
