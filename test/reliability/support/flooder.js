// A flooding client in its own process (so its CPU does not distort the latency the test measures):
// usage: node flooder.js <url> <token> <mode: bad-json|ping> <durationMs>. Reads what it gets, prints
// `sent <n> replies <n> closed <code|open>` at the end.
const { WebSocket } = require('ws');
const [url, token, mode, durationMs] = process.argv.slice(2);
const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
let sent = 0;
let replies = 0;
let closed = 'open';
socket.on('message', () => replies++);
socket.on('close', (code) => (closed = code));
socket.on('error', () => undefined);
const frame = mode === 'ping' ? '{"type":"ping"}' : '{"type":';
socket.on('open', () => {
  const end = Date.now() + Number(durationMs);
  const burst = () => {
    if (Date.now() > end || socket.readyState !== WebSocket.OPEN) return;
    // Keep about 1 MB queued: as fast as the server reads, without growing without bound here.
    for (let i = 0; i < 5000 && socket.bufferedAmount < 1 << 20; i++) socket.send(frame), sent++;
    setImmediate(burst);
  };
  burst();
});
setTimeout(() => {
  console.log(`sent ${sent} replies ${replies} closed ${closed}`);
  process.exit(0);
}, Number(durationMs) + 500);
