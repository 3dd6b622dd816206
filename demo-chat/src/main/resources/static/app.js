// The demo chat's page: switchboard.js, which the starter serves, and no build step.
import { connect } from '/ws/switchboard.js';

const $ = (id) => document.getElementById(id);

const chat = {
  token: localStorage.getItem('token'),
  user: localStorage.getItem('user'),
  socket: null,
  countdown: null,
  rooms: [],
  joined: new Set(), // re-joined after every reconnect
  current: null,
  messages: new Map(), // room -> Map(messageId -> message)
  online: new Set(),
  missed: new Map(), // room -> messages recovered since the connection opened
  synced: new Set(), // rooms whose missed messages have all come since it opened
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
  localStorage.removeItem('token');
  localStorage.removeItem('user');
  chat.token = null;
  chat.joined.clear();
  chat.messages.clear();
  chat.current = null;
  if (chat.socket) {
    const socket = chat.socket;
    chat.socket = null;
    socket.close(1000, 'signed out');
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
  connectChat();
}

// ---- The connection -----------------------------------------------------------------

// switchboard.js reconnects with backoff and jitter, says when the token is no good (a
// 1008 "invalid token" or "signed out"), and matches replies to requests by id.
function connectChat() {
  const socket = connect('/ws/chat', { token: chat.token });
  chat.socket = socket;
  socket.onState((change) => {
    if (socket === chat.socket) {
      stateChanged(change);
    }
  });
  socket.onState((change) => {
    if (change.state === 'open') {
      chat.missed = new Map();
      chat.synced = new Set();
    }
  });
  // The chat socket recovers: after a reconnect, the messages a room got while the page
  // was away come first, then the room's sync; a page that cannot get them all reloads.
  socket.onRecovered(recovered);
  socket.on('welcome', welcome);
  socket.on('joined', joined);
  socket.on('left', (message) => left(message.room));
  socket.on('message', (message) => {
    const room = message.message.room;
    if (!chat.synced.has(room)) {
      chat.missed.set(room, (chat.missed.get(room) || 0) + 1);
    }
    addMessage(message.message);
  });
  socket.on('direct', addDirect);
  socket.on('presence', (message) => presence(message.user, message.online));
  socket.on('rooms', (message) => showRooms(message.rooms));
  socket.on('notice', addNotice);
  socket.onError((reply) => showError(reply.error));
}

function stateChanged(change) {
  clearInterval(chat.countdown);
  switch (change.state) {
    case 'signed-out':
      return forget(change.reason);
    case 'reconnecting':
      return change.delay === undefined ? showState('connecting', 'connecting')
        : countDown(Date.now() + change.delay, change.reason);
    case 'closed':
      return showState('closed', `closed: ${change.reason}`);
    default:
      return showState(change.state, change.state);
  }
}

function countDown(until, reason) {
  const tick = () => {
    const left = Math.max(0, until - Date.now());
    showState('reconnecting', `reconnecting in ${Math.ceil(left / 1000)}s (${reason})`);
  };
  tick();
  chat.countdown = setInterval(tick, 1000);
}

function showState(state, text) {
  $('state').dataset.state = state;
  $('state').textContent = text;
}

// While the page reconnects, a request waits for the connection, for 10 seconds at most.
function request(message) {
  if (!chat.socket) {
    return;
  }
  chat.socket.request(message).catch((error) => showError(`${message.type}: ${error.message}`));
}

// ---- What the server sends ----------------------------------------------------------

function welcome(message) {
  chat.online = new Set(message.online);
  renderOnline();
  showRooms(message.rooms);
  const rooms = chat.joined.size > 0 ? [...chat.joined] : [message.rooms[0]];
  rooms.forEach((room) => request({ type: 'join', room }));
}

function recovered({ kind, name, recovered }) {
  if (kind !== 'room') {
    return;
  }
  chat.synced.add(name);
  const missed = chat.missed.get(name) || 0;
  if (!recovered) {
    addNotice({ room: name, text: 'some messages sent while you were away are gone: reloaded the recent ones' });
    request({ type: 'join', room: name });
  } else if (missed > 0) {
    addNotice({ room: name, text: `recovered ${missed} message${missed === 1 ? '' : 's'} sent while you were away` });
  }
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
