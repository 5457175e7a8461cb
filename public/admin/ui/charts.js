// The dashboard's charts, drawn with uPlot (the npm package, served at /admin/ui/vendor/). Each node
// keeps its own last 15 minutes (GET /admin/stats/window); the page keeps the latest window of each
// live node that answered it (behind a round-robin balancer, every node within a few refreshes),
// lines them up on the sample grid, and sums them for the cluster line. At most one window per
// live node: nothing here grows with time.
(() => {
  const PALETTE = ['#3056d3', '#d3562f', '#2e8b57', '#9b4dca', '#c49a00', '#1e90a0', '#a4262c', '#5b6475'];
  const HEIGHT = 170;
  const windows = new Map();
  const plots = new Map();

  /** Each node's value of `name` on the common grid (null where it has none). */
  function column(slots, node, name) {
    const w = windows.get(node);
    const values = new Map();
    const series = w.series.find((s) => s.name === name);
    if (series) w.times.forEach((t, i) => values.set(Math.round(t / w.intervalMs), series.values[i]));
    return slots.map((slot) => values.get(slot) ?? null);
  }

  function sum(columns) {
    return columns[0].map((_, i) => {
      const present = columns.map((c) => c[i]).filter((v) => v !== null);
      return present.length ? present.reduce((a, b) => a + b, 0) : null;
    });
  }

  const scaled = (values, factor) => values.map((v) => (v === null ? null : v * factor));

  /** One line per node, plus their sum when there are several. */
  const perNode = (name) => (slots, nodes) => {
    const lines = nodes.map((node) => ({ label: node, values: column(slots, node, name) }));
    return lines.length > 1 ? [...lines, { label: 'cluster', values: sum(lines.map((l) => l.values)) }] : lines;
  };

  /** One line per code (or reason), summed over the nodes. */
  const byLabel = (prefix) => (slots, nodes) => {
    const names = new Set();
    for (const node of nodes) for (const s of windows.get(node).series) if (s.name.startsWith(prefix)) names.add(s.name);
    return [...names].sort().map((name) => ({ label: name.slice(prefix.length), values: sum(nodes.map((node) => column(slots, node, name))) }));
  };

  /** Quantiles do not add up across nodes: p50 and p99 per node, in milliseconds. */
  const latency = (slots, nodes) =>
    nodes.flatMap((node) => ['p50', 'p99'].map((q) => ({ label: `${node} ${q}`, values: scaled(column(slots, node, `delivery_${q}`), 1000) })));

  const CHARTS = [
    { id: 'connections', title: 'Connections', lines: perNode('connections') },
    { id: 'users', title: 'Users', lines: perNode('users') },
    { id: 'delivered', title: 'Delivered messages/s', lines: perNode('delivered') },
    { id: 'publishes', title: 'Publishes/s', lines: perNode('publishes') },
    { id: 'errors', title: 'Error frames/s by code', lines: byLabel('errors:') },
    { id: 'closes', title: 'Closes/s by code', lines: byLabel('closes:') },
    { id: 'terminations', title: 'Terminations/s (heartbeat, slow consumer)', lines: byLabel('terminations:') },
    { id: 'latency', title: 'Publish to delivery, ms', lines: latency },
  ];

  function container() {
    const root = document.getElementById('charts');
    if (!root.childElementCount) {
      for (const chart of CHARTS) {
        const figure = document.createElement('figure');
        figure.className = 'chart';
        figure.dataset.testid = `chart-${chart.id}`;
        const caption = document.createElement('figcaption');
        caption.textContent = chart.title;
        figure.append(caption);
        root.append(figure);
      }
    }
    return root;
  }

  function draw(chart, figure, xs, lines) {
    const data = [xs, ...lines.map((l) => l.values)];
    const key = lines.map((l) => l.label).join('\n');
    const known = plots.get(chart.id);
    const peak = Math.max(0, ...lines.flatMap((l) => l.values.filter((v) => v !== null)));
    figure.dataset.peak = String(peak);
    if (known && known.key === key) return known.plot.setData(data);
    known?.plot.destroy();
    const series = [{}, ...lines.map((l, i) => ({ label: l.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false }))];
    const plot = new uPlot({ width: Math.max(260, figure.clientWidth - 8), height: HEIGHT, series, scales: { y: { range: (_u, min, max) => [0, Math.max(max, 1)] } } }, data, figure);
    plots.set(chart.id, { plot, key });
  }

  /** `liveNodes`: every node /admin/stats lists; `latest`: the window of the node that answered. */
  function update(liveNodes, latest) {
    windows.set(latest.node, latest);
    for (const node of windows.keys()) if (!liveNodes.includes(node)) windows.delete(node);
    const nodes = [...windows.keys()].sort();
    const slots = [...new Set(nodes.flatMap((n) => windows.get(n).times.map((t) => Math.round(t / latest.intervalMs))))].sort((a, b) => a - b);
    const xs = slots.map((slot) => (slot * latest.intervalMs) / 1000);
    const span = (latest.capacity * latest.intervalMs) / 1000;
    document.getElementById('charts-span').textContent =
      `the last ${span >= 120 ? `${span / 60} minutes` : `${span} s`}, one sample every ${latest.intervalMs / 1000} s per node: lines per node, and the cluster's sum`;
    const root = container();
    CHARTS.forEach((chart, i) => draw(chart, root.children[i], xs, chart.lines(slots, nodes)));
  }

  function clear() {
    for (const { plot } of plots.values()) plot.destroy();
    plots.clear();
    windows.clear();
    document.getElementById('charts').replaceChildren();
    document.getElementById('charts-span').textContent = '';
  }

  addEventListener('resize', () => {
    for (const [id, { plot }] of plots) {
      const figure = document.querySelector(`[data-testid=chart-${id}]`);
      plot.setSize({ width: Math.max(260, figure.clientWidth - 8), height: HEIGHT });
    }
  });

  window.AdminCharts = { update, clear };
})();
