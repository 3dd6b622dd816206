'use strict';
// The demo chat's page: the browser's own WebSocket, no library, no build step.

const $ = (id) => document.getElementById(id);

// The server closes with 1008 and one of these reasons when the token is no good:
// the page signs in again rather than reconnecting.
const SIGNED_OUT_REASONS = ['signed out', 'invalid token', 'authentication required'];
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10000;

const chat = {
  token: localStorage.getItem('token'),
  user: localStorage.getItem('user'),
  socket: null,
  attempt: 0,
  timer: null,
  rooms: [],
  joined: new Set(), // re-joined after every reconnect
  current: null,
  messages: new Map(), // room -> Map(messageId -> message)
  online: new Set(),
  nextId: 1,
  pending: new Map(), // request id -> type, to name a failed request
};

// ---- Signing in and out -------------------------------------------------------------

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  try {
    const response = await fetch('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('name').value.trim() }),
    });
    const body = await response.json();
    if (!response.ok) {
      $('sign-in-error').textContent = body.error || `sign-in failed (${response.status})`;
      return;
    }
    localStorage.setItem('token', body.token);
    localStorage.setItem('user', body.name);
    chat.token = body.token;
    chat.user = body.name;
    start();
  } catch (error) {
    $('sign-in-error').textContent = 'the server cannot be reached';
  }
});

$('sign-out').addEventListener('click', async () => {
  const token = chat.token;
  forget('signed out');
  // The server closes this user's connections on every instance with 1008 "signed out".
  await fetch('/api/sign-out', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
    .catch(() => {});
});

function forget(reason) {
  clearTimeout(chat.timer);
  localStorage.removeItem('token');
  localStorage.removeItem('user');
  chat.token = null;
  chat.joined.clear();
  chat.messages.clear();
  chat.current = null;
  if (chat.socket) {
    const socket = chat.socket;
    chat.socket = null;
    setTimeout(() => socket.close(1000, 'signed out'), 2000); // if the server's close does not come
  }
  showState('closed', `closed: ${reason}`);
  $('sign-in-error').textContent = reason === 'signed out' ? '' : `Please sign in again (${reason}).`;
  $('chat').hidden = true;
  $('me').hidden = true;
  $('sign-out').hidden = true;
  $('signed-out').hidden = false;
  $('name').focus();
}

function start() {
  $('signed-out').hidden = true;
  $('chat').hidden = false;
  $('me').hidden = false;
  $('me').textContent = chat.user;
  $('sign-out').hidden = false;
  connect();
}

// ---- The connection -----------------------------------------------------------------

function connect() {
  clearTimeout(chat.timer);
  showState('connecting', 'connecting');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // A browser cannot set headers on the upgrade: the token goes as the subprotocol after
  // the marker "switchboard.token", and the server echoes only the marker.
  const socket = new WebSocket(`${scheme}://${location.host}/ws/chat`, ['switchboard.token', chat.token]);
  chat.socket = socket;
  socket.onmessage = (event) => receive(JSON.parse(event.data));
  socket.onclose = (event) => closed(socket, event);
}

function closed(socket, event) {
  if (socket !== chat.socket) {
    return; // a socket the page has given up on
  }
  chat.socket = null;
  chat.pending.clear();
  if (event.code === 1008 && SIGNED_OUT_REASONS.includes(event.reason)) {
    forget(event.reason);
    return;
  }
  reconnect(event.reason || `code ${event.code}`);
}

// Exponential backoff with jitter, so that the pages a restart disconnected together do
// not all come back at the same instant.
function reconnect(reason) {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** chat.attempt++);
  const until = Date.now() + ceiling / 2 + Math.random() * ceiling / 2;
  const tick = () => {
    const left = until - Date.now();
    if (left <= 0) {
      connect();
      return;
    }
    showState('reconnecting', `reconnecting in ${Math.ceil(left / 1000)}s (${reason})`);
    chat.timer = setTimeout(tick, Math.min(left, 1000));
  };
  tick();
}

function showState(state, text) {
  $('state').dataset.state = state;
  $('state').textContent = text;
}

function request(message) {
  if (!chat.socket || chat.socket.readyState !== WebSocket.OPEN) {
    showError('not connected');
    return;
  }
  const id = chat.nextId++;
  chat.pending.set(id, message.type);
  chat.socket.send(JSON.stringify({ ...message, id }));
}

// ---- What the server sends ----------------------------------------------------------

function receive(message) {
  const requested = chat.pending.get(message.id);
  chat.pending.delete(message.id);
  if (message.error) {
    showError(requested ? `${requested}: ${message.error}` : message.error);
    return;
  }
  switch (message.type) {
    case 'welcome': return welcome(message);
    case 'joined': return joined(message);
    case 'left': return left(message.room);
    case 'message': return addMessage(message.message);
    case 'direct': return addDirect(message);
    case 'presence': return presence(message.user, message.online);
    case 'rooms': return showRooms(message.rooms);
    case 'notice': return addNotice(message);
  }
}

function welcome(message) {
  chat.attempt = 0;
  showState('open', 'open');
  chat.online = new Set(message.online);
  renderOnline();
  showRooms(message.rooms);
  const rooms = chat.joined.size > 0 ? [...chat.joined] : [message.rooms[0]];
  rooms.forEach((room) => request({ type: 'join', room }));
}

function joined(message) {
  const first = !chat.joined.has(message.room);
  chat.joined.add(message.room);
  message.history.forEach((each) => remember(each));
  if (first || !chat.current) {
    chat.current = message.room;
  }
  showRooms(chat.rooms);
  renderMessages();
}

function left(room) {
  chat.joined.delete(room);
  chat.messages.delete(room);
  if (chat.current === room) {
    chat.current = chat.joined.values().next().value || null;
  }
  showRooms(chat.rooms);
  renderMessages();
}

function remember(message) {
  if (!chat.messages.has(message.room)) {
    chat.messages.set(message.room, new Map());
  }
  // The history sent on a (re)join may repeat messages already shown.
  chat.messages.get(message.room).set(message.messageId, message);
}

function addMessage(message) {
  remember(message);
  if (message.room === chat.current) {
    renderMessages();
  }
}

function presence(user, online) {
  if (online) {
    chat.online.add(user);
  } else {
    chat.online.delete(user);
  }
  renderOnline();
}

function addDirect(message) {
  const item = element('li', { className: 'direct' },
    element('span', { className: 'time', textContent: time(message.sentAt) }),
    element('span', { className: 'from', textContent: `${message.from} → ${message.to}` }),
    element('span', { className: 'text', textContent: message.text }));
  $('directs').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function addNotice(message) {
  const where = message.room ? ` (#${message.room})` : '';
  $('notices').append(element('li', { textContent: `Notice${where}: ${message.text}` }));
}

// ---- Rendering ----------------------------------------------------------------------

function showRooms(rooms) {
  chat.rooms = rooms;
  $('rooms').replaceChildren(...rooms.map((room) => {
    const joined = chat.joined.has(room);
    const open = element('button', { className: 'room', type: 'button', textContent: `# ${room}` });
    open.addEventListener('click', () => {
      if (joined) {
        chat.current = room;
        showRooms(chat.rooms);
        renderMessages();
      }
    });
    const toggle = element('button', {
      className: joined ? 'leave' : 'join', type: 'button', textContent: joined ? 'Leave' : 'Join',
    });
    toggle.addEventListener('click', () => request({ type: joined ? 'leave' : 'join', room }));
    const item = element('li', { className: joined ? 'joined' : '' }, open, toggle);
    item.dataset.room = room;
    item.classList.toggle('current', room === chat.current);
    return item;
  }));
}

function renderMessages() {
  $('room-title').textContent = chat.current ? `# ${chat.current}` : 'No room: join one';
  const messages = [...(chat.messages.get(chat.current) || new Map()).values()]
    // Instants as ISO strings vary in their number of fraction digits: compare times, not text.
    .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
  $('messages').replaceChildren(...messages.map((message) => {
    const item = element('li', { className: message.from === chat.user ? 'message mine' : 'message' },
      element('span', { className: 'time', textContent: time(message.sentAt) }),
      element('span', { className: 'from', textContent: message.from }),
      element('span', { className: 'text', textContent: message.text }));
    item.dataset.from = message.from;
    return item;
  }));
  $('messages').lastElementChild?.scrollIntoView({ block: 'nearest' });
}

function renderOnline() {
  const users = [...chat.online].sort();
  $('online').replaceChildren(...users.map((user) => {
    const item = element('li', { className: user === chat.user ? 'me' : '',
      textContent: user === chat.user ? `${user} (you)` : user });
    item.dataset.user = user;
    item.addEventListener('click', () => {
      if (user !== chat.user) {
        $('dm-to').value = user;
        $('dm-text').focus();
      }
    });
    return item;
  }));
  $('online-names').replaceChildren(...users.map((user) => element('option', { value: user })));
}

function showError(text) {
  $('error').textContent = text;
  setTimeout(() => {
    if ($('error').textContent === text) {
      $('error').textContent = '';
    }
  }, 5000);
}

function element(tag, properties, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function time(instant) {
  return new Date(instant).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---- What the user does -------------------------------------------------------------

$('post').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (text && chat.current) {
    request({ type: 'post', room: chat.current, text });
    $('text').value = '';
  }
});

$('new-room').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room-name').value.trim();
  if (room) {
    request({ type: 'join', room });
    $('room-name').value = '';
  }
});

$('direct').addEventListener('submit', (event) => {
  event.preventDefault();
  const to = $('dm-to').value.trim();
  const text = $('dm-text').value.trim();
  if (to && text) {
    request({ type: 'direct', to, text });
    $('dm-text').value = '';
  }
});

if (chat.token) {
  start();
}
