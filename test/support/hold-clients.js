// Holds N WebSocket clients open in a separate process (so they keep answering pings while the
// server process is stalled) and reports: "ready", then one line per close, then "open <n>".
// usage: node hold-clients.js <url> <token> <count> <durationMs>
const { WebSocket } = require('ws');

const [url, token, count, durationMs] = process.argv.slice(2);
let opened = 0;
const sockets = Array.from({ length: Number(count) }, () => {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  socket.on('open', () => ++opened === Number(count) && console.log('ready'));
  socket.on('close', (code) => console.log(`closed ${code}`));
  socket.on('error', (err) => console.log(`error ${err.message}`));
  return socket;
});
setTimeout(() => {
  console.log(`open ${sockets.filter((s) => s.readyState === WebSocket.OPEN).length}`);
  process.exit(0);
}, Number(durationMs));
