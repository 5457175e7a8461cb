// Runs inside the test's network namespace: opens one "victim" and one "healthy" client to the
// server there, prints `victim-port <local port>` once both are open, then every close as
// `closed <user> <code>`. usage: node netns-clients.js <url> <victimToken> <healthyToken>
const { WebSocket } = require('ws');
const [url, victimToken, healthyToken] = process.argv.slice(2);
// Resolves with the connection's local port, read from the 101 response's socket.
const open = (user, token) =>
  new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    let localPort;
    socket.once('upgrade', (response) => (localPort = response.socket.localPort));
    socket.on('open', () => resolve(localPort));
    socket.on('close', (code) => console.log(`closed ${user} ${code}`));
    socket.on('error', (err) => console.log(`error ${user} ${err.message}`));
  });
Promise.all([open('victim', victimToken), open('healthy', healthyToken)]).then(([victimPort]) => {
  console.log(`victim-port ${victimPort}`);
});
