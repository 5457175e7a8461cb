// The admin dashboard: a thin UI over the admin REST API. The token lives in this closure only
// (never in storage or cookies), so closing or reloading the page signs out.
(() => {
  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);
  let token = null;
  let timer = null;
  let openRoom = null;

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, init = {}) {
    const response = await fetch(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, body?.message ? [].concat(body.message).join('; ') : `HTTP ${response.status}`);
    return body;
  }

  function notify(text, error = false) {
    $('notice').textContent = text;
    $('notice').classList.toggle('error', error);
  }

  /** 401/403 mean the token is no good (any more): back to the login form. */
  function failed(err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      signOut();
      notify(`Not signed in: ${err.message}`, true);
    } else notify(`Error: ${err.message}`, true);
  }

  function renderStats(stats) {
    $('count-connections').textContent = stats.total.connections;
    $('count-users').textContent = stats.total.users;
    $('count-rooms').textContent = stats.total.rooms;
    // Every live node of the cluster (one without Redis); hover for each one's connections.
    $('node').textContent = stats.nodes.map((n) => n.node).join(', ');
    $('node').title = stats.nodes.map((n) => `${n.node}: ${n.connections} connections, up ${n.uptimeSeconds} s`).join('\n');
  }

  function renderConnections(page) {
    $('connections').replaceChildren(
      ...page.items.map((c) => {
        const row = el('tr');
        row.dataset.sessionId = c.id;
        const kick = el('button', 'Kick', 'kick');
        kick.type = 'button';
        kick.dataset.testid = 'kick';
        kick.addEventListener('click', () => kickSession(c.id, c.userId));
        const action = el('td');
        action.append(kick);
        row.append(el('td', c.id.slice(0, 8), 'id'), el('td', c.userId), el('td', c.rooms.join(', ')), el('td', c.remoteAddress), el('td', new Date(c.connectedAt).toLocaleTimeString()), action);
        return row;
      }),
    );
    $('more-connections').hidden = page.nextCursor === null;
  }

  function renderRooms(page) {
    $('rooms').replaceChildren(
      ...page.items.map((r) => {
        const button = el('button', `${r.room} (${r.members})`);
        button.type = 'button';
        button.dataset.room = r.room;
        button.addEventListener('click', () => showRoom(r.room));
        const li = el('li');
        li.append(button);
        return li;
      }),
    );
  }

  function renderRoom(room) {
    $('room-name').textContent = room.room;
    $('room-position').textContent = `offset ${room.offset}, epoch ${room.epoch}`;
    $('presence').replaceChildren(...room.members.map((m) => el('li', `${m.userId} (${m.sessionId.slice(0, 8)})`)));
    $('history').replaceChildren(
      ...room.history.map((m) => el('li', `#${m.offset} ${m.from}: ${typeof m.body?.text === 'string' ? m.body.text : JSON.stringify(m.body)}`)),
    );
    $('room-view').hidden = false;
  }

  async function refresh() {
    try {
      const user = $('user-filter').value.trim();
      const [stats, connections, rooms, statsWindow] = await Promise.all([
        api('/admin/stats'),
        api(`/admin/connections${user ? `?user=${encodeURIComponent(user)}` : ''}`),
        api('/admin/rooms'),
        api('/admin/stats/window'),
      ]);
      renderStats(stats);
      AdminCharts.update(stats.nodes.map((n) => n.node), statsWindow);
      renderConnections(connections);
      renderRooms(rooms);
      if (openRoom) await showRoom(openRoom);
    } catch (err) {
      failed(err);
    }
  }

  async function showRoom(room) {
    openRoom = room;
    $('publish-room').value ||= room;
    try {
      renderRoom(await api(`/admin/rooms/${encodeURIComponent(room)}`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        openRoom = null;
        $('room-view').hidden = true;
      } else failed(err);
    }
  }

  async function kickSession(id, userId) {
    try {
      await api(`/admin/connections/${encodeURIComponent(id)}`, { method: 'DELETE' });
      notify(`Kicked ${userId} (${id.slice(0, 8)})`);
    } catch (err) {
      failed(err);
    }
    await refresh();
  }

  function signOut() {
    token = null;
    clearInterval(timer);
    $('dashboard').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    AdminCharts.clear();
    for (const id of ['count-connections', 'count-users', 'count-rooms', 'node']) $(id).textContent = '-';
  }

  $('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    try {
      renderStats(await api('/admin/stats'));
    } catch (err) {
      return failed(err);
    }
    notify('');
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('sign-out').hidden = false;
    await refresh();
    timer = setInterval(refresh, REFRESH_MS);
  });

  $('sign-out').addEventListener('click', signOut);
  $('user-filter').addEventListener('input', () => void refresh());

  $('publish').addEventListener('submit', async (event) => {
    event.preventDefault();
    const room = $('publish-room').value.trim();
    try {
      const ack = await api(`/admin/rooms/${encodeURIComponent(room)}/messages`, { method: 'POST', body: JSON.stringify({ body: { text: $('publish-text').value } }) });
      $('publish-text').value = '';
      notify(`Published to ${room} at offset ${ack.offset}`);
      await showRoom(room);
    } catch (err) {
      failed(err);
    }
  });
})();
