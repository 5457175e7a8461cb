// Scenario sizes. `full` is the run for docs/performance.md (< 15 minutes on 2 cores); `quick`
// checks that everything works (about 2 minutes) and is not for quoting.
export const FULL = {
  mode: 'full',
  reps: 3,
  // The run (after the build) must end within this; the fan-out's larger room is lowered if its
  // fill would not fit (see run.mjs).
  timeBudgetSeconds: 780,
  // The machine is shared: a measured window during which other processes kept the server's core
  // (or the generator's) busy beyond these shares is run again, at most `retries` more times, and
  // the least disturbed attempt is kept (every attempt's disturbance is in the JSON).
  // Before each measured window the suite also waits (at most maxQuietWaitMs) for a quiet moment.
  // Waiting and re-running together may take at most budgetSeconds over the whole run.
  contention: { maxForeignCore0Pct: 15, maxForeignCore1Pct: 30, retries: 2, maxQuietWaitMs: 4000, budgetSeconds: 60 },
  memory: {
    warmup: 200,
    steps: [1000, 10000],
    hold: 15000, // product only: held across a full heartbeat cycle (a ping, then the sweep)
    holdRuns: 1, // in how many of the runs (each costs a heartbeat cycle, ~40 s)
    holdBaseline: false,
    heartbeat: { intervalMs: 25000, timeoutMs: 10000 }, // the defaults, which the servers keep
  },
  // --only conn100k (not in the default run): `target` idle connections per server, or as many as
  // the servers' file limit allows (bench/scenarios/conn100k.mjs says how it is decided), held for
  // `cycles` heartbeat cycles of the shortened heartbeat below (both servers get it).
  conn100k: {
    target: 100_000,
    warmup: 200,
    concurrency: 64, // handshakes in flight, over all worker processes
    clientsPerWorker: 12_500, // clients per generator child process (and at most its file limit - workerReserveFds)
    workerReserveFds: 200,
    serverReserveFds: 32, // descriptors a server needs beyond what it holds at rest (stats requests, the memory hook's files)
    cycles: 3,
    heartbeat: { intervalMs: 5000, timeoutMs: 4000 },
  },
  connrate: { warmup: 1000, count: 3000, concurrency: 32, fixedRate: 500, fixedSeconds: 3 },
  // Reconnect storm (--only storm; not in the default run): `clients` connect at once to one fresh,
  // warmed-up node, spread over `workers` generator processes (the file limit is 20,000 per
  // process, the server's included: 19,000 is the most one node holds here). The servers get
  // MAX_CONNECTIONS / MAX_CONNECTIONS_PER_IP from maxConnections / maxConnectionsPerIp.
  storm: { clients: 19_000, workers: 4, warmup: 1000, timeoutMs: 120_000, maxConnections: 19_500, maxConnectionsPerIp: 19_500 },
  reqreply: { clients: 1000, perClientRate: 10, seconds: 6, warmupSeconds: 1 },
  fanout: {
    sizes: [1000, 5000],
    sampled: 100,
    joinBatch: 500,
    fillTimeoutMs: 600_000,
    fillBatchMs: 250, // bulk members read every 250 ms while a room fills (50 ms when measuring)
    sequentialFillUpTo: 1000, // larger rooms: both servers' rooms are filled at once (see run.mjs)
    fillMargin: 1.25, // the fill-time estimate for the larger room is the previous fill's rate / this
    fixedRate: 40_000, // delivered messages/s for the CPU-per-message comparison
    // More windows at these delivered rates (none by default), e.g. --set fanout.sweepRates=1000,10000,100000
    sweepRates: [],
    fixedSeconds: 5,
    fixedWarmupSeconds: 1,
    p99LimitMs: 100,
    drainMs: 5000,
    // Max-rate ladder: the first run starts at ladderStart and multiplies by ladderFactor until a
    // step fails, then tries once between the last pass and the failure; the next runs start one
    // rung under the first run's max and climb by sqrt(ladderFactor).
    ladderStart: 50_000,
    ladderFactor: 1.25,
    stepSeconds: 3,
    stepWarmupSeconds: 0.5,
    maxSteps: 6,
    ladderFloor: 5_000,
    maxReps: 5, // the max-rate search runs this often per size and server (the median is quoted)
  },
  // Two product nodes + redis-server, members split across the nodes; the fixed rate, windows and
  // ladder are fanout's. Skipped when less than minSecondsLeft of the time budget is left.
  cluster: { size: 1000, maxSearch: true, minSecondsLeft: 60 },
  // Scaling (--only scaling; not in the default run): 1 redis-server (or, with redis: 'cluster', a
  // Redis Cluster of clusterPrimaries primaries) + N product nodes for each N.
  // Part A, the deployment mix: smallRooms x smallMembers, each room's members on ONE node (round
  // robin by room), bigRooms x bigMembers with members on every node; publishRate publishes/s in
  // all, bigShare of them into the big rooms; `reps` windows of `seconds`. Part B (spread): one
  // room of spreadSize members spread over the N nodes, a window at spreadFixedRate delivered
  // msg/s, then the max-rate ladder from ladderStart (fanout's step settings).
  scaling: {
    nodes: [1, 2, 3, 4],
    redis: 'single', // or 'cluster' (--set scaling.redis=cluster): clusterPrimaries primaries, no replicas
    clusterPrimaries: 3,
    smallRooms: 200,
    smallMembers: 10,
    bigRooms: 2,
    bigMembers: 250,
    bigShare: 0.05,
    publishRate: 1500,
    seconds: 5,
    warmupSeconds: 3, // unmetered, per N: JIT (each node sees only its share of the traffic)
    idleSeconds: 2,
    reps: 3,
    drainMs: 5000,
    spread: true,
    spreadSize: 1000,
    spreadFixedRate: 20_000,
    spreadMaxSearch: true,
    ladderStart: 20_000,
    ladderFactor: 1.25,
  },
};

export const QUICK = {
  mode: 'quick',
  reps: 1,
  timeBudgetSeconds: 150,
  contention: { maxForeignCore0Pct: 15, maxForeignCore1Pct: 30, retries: 1, maxQuietWaitMs: 2000, budgetSeconds: 15 },
  memory: {
    warmup: 100,
    steps: [500, 1000],
    hold: 1500,
    holdRuns: 1,
    holdBaseline: false,
    // Shortened so the quick run sees a whole heartbeat cycle; the full run keeps the defaults.
    heartbeat: { intervalMs: 6000, timeoutMs: 3000 },
    serverEnv: { HEARTBEAT_INTERVAL_MS: '6000', HEARTBEAT_TIMEOUT_MS: '3000' },
  },
  conn100k: {
    target: 3000,
    warmup: 100,
    concurrency: 64,
    clientsPerWorker: 1000,
    workerReserveFds: 200,
    serverReserveFds: 32,
    cycles: 3,
    heartbeat: { intervalMs: 2000, timeoutMs: 1500 },
  },
  connrate: { warmup: 200, count: 600, concurrency: 32, fixedRate: 300, fixedSeconds: 1 },
  storm: { clients: 2000, workers: 2, warmup: 200, timeoutMs: 60_000, maxConnections: 19_500, maxConnectionsPerIp: 19_500 },
  reqreply: { clients: 200, perClientRate: 10, seconds: 3, warmupSeconds: 0.5 },
  fanout: {
    sizes: [200, 500],
    sampled: 50,
    joinBatch: 200,
    fillTimeoutMs: 60_000,
    fillBatchMs: 250,
    sequentialFillUpTo: 200,
    fillMargin: 1.25,
    fixedRate: 40_000,
    sweepRates: [],
    fixedSeconds: 3,
    fixedWarmupSeconds: 0.5,
    p99LimitMs: 100,
    drainMs: 3000,
    ladderStart: 50_000,
    ladderFactor: 1.4,
    stepSeconds: 2,
    stepWarmupSeconds: 0.3,
    maxSteps: 6,
    ladderFloor: 5_000,
  },
  cluster: { size: 200, maxSearch: true, minSecondsLeft: 0 },
  scaling: {
    nodes: [1, 2, 3, 4],
    redis: 'single', // or 'cluster' (--set scaling.redis=cluster): clusterPrimaries primaries, no replicas
    clusterPrimaries: 3,
    smallRooms: 50,
    smallMembers: 10,
    bigRooms: 2,
    bigMembers: 100,
    bigShare: 0.1,
    publishRate: 1000,
    seconds: 3,
    warmupSeconds: 3, // unmetered, per N: JIT (each node sees only its share of the traffic)
    idleSeconds: 2,
    reps: 1,
    drainMs: 3000,
    spread: true,
    spreadSize: 200,
    spreadFixedRate: 20_000,
    spreadMaxSearch: true,
    ladderStart: 20_000,
    ladderFactor: 1.4,
  },
};
