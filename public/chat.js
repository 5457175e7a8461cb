// The chat page: a thin UI over the SDK's browser bundle (global `RealtimeGateway`).
(() => {
  const $ = (id) => document.getElementById(id);
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  let client;
  let room;
  const members = new Map(); // sessionId -> userId

  function addLine(list, text, className) {
    const li = document.createElement('li');
    if (className) li.className = className;
    li.textContent = text;
    list.append(li);
    list.scrollTop = list.scrollHeight;
    return li;
  }

  /** A room message or a direct message: sender and text, its offset kept for tests and debugging. */
  function showIn(list, message) {
    const li = document.createElement('li');
    li.dataset.offset = String(message.offset);
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = message.from;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = typeof message.body?.text === 'string' ? message.body.text : JSON.stringify(message.body);
    li.append(from, text);
    list.append(li);
    list.scrollTop = list.scrollHeight;
  }

  const showMessage = (message) => showIn($('messages'), message);

  /** The token's user: where this browser keeps the position of the user's direct messages. */
  function positionKey(token) {
    try {
      return `rg-direct-position:${JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub}`;
    } catch {
      return undefined;
    }
  }

  function renderPresence() {
    $('presence').replaceChildren(...[...new Set(members.values())].sort().map((user) => {
      const li = document.createElement('li');
      li.textContent = user;
      return li;
    }));
  }

  async function refreshPresence() {
    const { members: list } = await client.presence(room);
    members.clear();
    for (const m of list) members.set(m.sessionId, m.userId);
    renderPresence();
  }

  /** After `recovered: false` the missed messages are gone from the live stream: show the history instead. */
  async function resync() {
    const page = await client.history(room, { limit: 50 });
    $('messages').replaceChildren();
    addLine($('messages'), 'reconnected: showing recent history', 'system');
    for (const message of page.messages) showMessage(message);
  }

  $('dev-token').addEventListener('click', async () => {
    const user = $('user').value.trim() || 'guest';
    const response = await fetch(`/dev/token?user=${encodeURIComponent(user)}`);
    if (!response.ok) return addLine($('events'), `no dev token (${response.status}): paste one`);
    $('token').value = (await response.json()).token;
  });

  $('join').addEventListener('click', async () => {
    room = $('room').value.trim();
    if (client) client.close();
    const token = $('token').value.trim();
    // Direct messages sent while this page was closed are recovered from the stored position.
    const key = positionKey(token);
    const stored = key && localStorage.getItem(key);
    client = new RealtimeGateway.RealtimeClient({ url: wsUrl, token, directSince: stored ? JSON.parse(stored) : undefined });
    client.on('direct', (message) => {
      showIn($('directs'), message);
      if (key) localStorage.setItem(key, JSON.stringify(client.directPosition));
    });
    client.on('directRecovery', (event) => {
      addLine($('events'), event.recovered ? 'recovered direct messages' : 'could not recover direct messages');
      if (key) localStorage.setItem(key, JSON.stringify(client.directPosition));
    });
    client.on('state', (state) => {
      $('status').textContent = state;
      $('status').className = `status ${state}`;
      addLine($('events'), `state: ${state}`);
    });
    client.on('presence', (event) => {
      if (event.room !== room) return;
      if (event.kind === 'join') members.set(event.sessionId, event.userId);
      else members.delete(event.sessionId);
      renderPresence();
    });
    client.on('recovery', (event) => {
      addLine($('events'), event.recovered ? `recovered ${event.room} from offset ${event.offset}` : `could not recover ${event.room}: resyncing`);
      if (!event.recovered && event.room === room) void resync();
      void refreshPresence();
    });
    client.on('close', (event) => addLine($('events'), `closed ${event.code}${event.willReconnect ? ', reconnecting' : ''}`));
    try {
      await client.connect();
      await client.join(room, showMessage);
      await refreshPresence();
      for (const id of ['text', 'send', 'direct-to', 'direct-text', 'direct-send']) $(id).disabled = false;
      if (key) localStorage.setItem(key, JSON.stringify(client.directPosition));
      $('text').focus();
    } catch (err) {
      addLine($('events'), `error: ${err.code ?? ''} ${err.message}`);
    }
  });

  $('direct-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const [to, text] = [$('direct-to').value.trim(), $('direct-text').value];
    if (!to || !text) return;
    $('direct-text').value = '';
    try {
      const ack = await client.direct(to, { text });
      addLine($('events'), `direct to ${to}: ${ack.delivered === 0 ? 'stored, recipient offline' : `delivered to ${ack.delivered}`}`);
    } catch (err) {
      addLine($('events'), `not sent: ${err.code ?? ''} ${err.message}`);
    }
  });

  $('send-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('text').value;
    if (!text) return;
    $('text').value = '';
    try {
      await client.publish(room, { text });
    } catch (err) {
      addLine($('events'), `not sent: ${err.code ?? ''} ${err.message}`);
    }
  });
})();
