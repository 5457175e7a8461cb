// A small Node chat client on the SDK.
//   node sdk/build.mjs                                   # once: builds sdk/dist
//   node sdk/examples/node-chat.mjs <ws-url> <token> [room] [--once]
// e.g. with `npm start` running (it prints a dev token):
//   node sdk/examples/node-chat.mjs ws://localhost:3000/ws eyJhbGciOi... public:lobby
// Type a line to publish it; Ctrl-C to quit. --once publishes one message and exits.
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { RealtimeClient, RealtimeError } from '../dist/index.mjs'; // outside this repo: '@realtime-gateway/client'

const args = process.argv.slice(2).filter((a) => a !== '--once');
const once = process.argv.includes('--once');
const [url, token, room = 'public:lobby'] = args;
if (!url || !token) {
  console.error('usage: node sdk/examples/node-chat.mjs <ws-url> <token> [room] [--once]');
  process.exit(2);
}

const client = new RealtimeClient({ url, token, WebSocket });
client.on('state', (state) => console.log(`[state] ${state}`));
client.on('close', ({ code, reason, willReconnect }) => console.log(`[close] ${code} ${reason} ${willReconnect ? '(reconnecting)' : ''}`));
client.on('presence', ({ kind, userId }) => console.log(`[presence] ${userId} ${kind === 'join' ? 'joined' : 'left'}`));
client.on('direct', ({ from, body }) => console.log(`[direct] ${from}: ${JSON.stringify(body)}`));
client.on('recovery', async ({ room: r, recovered }) => {
  if (recovered) return console.log(`[recovery] ${r}: nothing missed`);
  console.log(`[recovery] ${r}: messages may be missing; recent history:`);
  for (const m of (await client.history(r, { limit: 10 })).messages) console.log(`  #${m.offset} ${m.from}: ${JSON.stringify(m.body)}`);
});
client.on('error', (error) => console.log(`[error] ${error.code}: ${error.message}`));

try {
  const welcome = await client.connect();
  console.log(`connected as ${welcome.userId} (session ${welcome.sessionId})`);
  const joined = await client.join(room, (m) => console.log(`#${m.offset} ${m.from}: ${JSON.stringify(m.body)}`));
  console.log(`joined ${room} at offset ${joined.offset}`);
  const { messages } = await client.history(room, { limit: 5 });
  for (const m of messages) console.log(`  (history) #${m.offset} ${m.from}: ${JSON.stringify(m.body)}`);
  const { members } = await client.presence(room);
  console.log(`here: ${members.map((m) => m.userId).join(', ') || 'nobody'}`);
  if (once) {
    const ack = await client.publish(room, { text: 'hello from node' }); // our own message arrives before this ack
    console.log(`published #${ack.offset}`);
    client.close();
  } else {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (text) => client.publish(room, { text }).catch((e) => console.log(`not sent: ${e.code} ${e.message}`)));
    process.on('SIGINT', () => {
      lines.close();
      client.close();
    });
  }
} catch (error) {
  console.error(error instanceof RealtimeError ? `failed: ${error.code} ${error.message}` : error);
  client.close();
  process.exitCode = 1;
}
