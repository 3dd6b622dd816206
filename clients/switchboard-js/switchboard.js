// switchboard.js: the browser client of Switchboard sockets. An ES module without
// dependencies; the starter serves it at {switchboard.path-prefix}/switchboard.js.
// See docs/browser-client.md.

/** Close reasons, with code 1008, that mean the token is no good: sign in again. */
export const SIGNED_OUT_REASONS = Object.freeze([
  'invalid token',
  'authentication required',
  'signed out',
  'access revoked',
]);

const DEFAULTS = Object.freeze({
  token: null,
  protocols: [],
  typeField: 'type',
  requestTimeout: 10000,
  minDelay: 500,
  maxDelay: 10000,
  signedOutReasons: SIGNED_OUT_REASONS,
  checkToken: null,
  positions: null,
  WebSocket: null,
});

/** The handshake's query parameter that carries the positions to recover from. */
const RECOVER_PARAMETER = 'switchboard-recover';
/** A message sent to a stream that keeps history, wrapped with its position. */
const STREAM_MESSAGE = 'switchboard.message';
/** The end of a stream's sync: its position, and whether nothing was missed. */
const STREAM_RECOVERED = 'switchboard.recovered';

/** The error a request fails with: an error reply, a timeout, or a connection lost. */
export class SwitchboardError extends Error {
  constructor(message, code, reply) {
    super(message);
    this.name = 'SwitchboardError';
    /** `bad-request`, `not-found`, `forbidden`, `rate-limited`, `timeout`, `internal`, or the
     * client's own `request-timeout`, `connection-lost`, `not-connected`. */
    this.code = code;
    /** The error reply, when the server sent one. */
    this.reply = reply;
  }
}

/**
 * Opens a connection to a socket, and keeps it open: it reconnects with backoff and jitter
 * until it is closed, or the server says the token is no good.
 * @param {string} url the socket's URL: absolute (ws:, wss:, http:, https:) or a path on this page's host
 * @param {object} [options] see docs/browser-client.md
 * @returns {SwitchboardSocket}
 */
export function connect(url, options = {}) {
  return new SwitchboardSocket(url, options);
}

export class SwitchboardSocket {
  constructor(url, options = {}) {
    this.url = socketUrl(url);
    this.options = { ...DEFAULTS, ...options };
    /** `connecting`, `open`, `reconnecting`, `signed-out` or `closed`. */
    this.state = 'connecting';
    this._handlers = new Map();
    this._stateHandlers = new Set();
    this._errorHandlers = new Set();
    this._recoveredHandlers = new Set();
    /** The last position seen on each stream: stream -> {epoch, offset}. */
    this._positions = new Map();
    Object.entries(this.options.positions || {}).forEach(([stream, value]) => {
      const saved = position(value);
      if (saved) {
        this._positions.set(stream, saved);
      }
    });
    this._pending = new Map();
    this._waiting = new Set();
    this._nextId = 1;
    this._attempt = 0;
    this._timer = null;
    this._socket = null;
    this._stopped = false;
    this._open();
  }

  /**
   * Calls the handler with every message whose type field is `type`; `*` takes every message.
   * @returns {() => void} a function that removes the handler
   */
  on(type, handler) {
    if (!this._handlers.has(type)) {
      this._handlers.set(type, new Set());
    }
    this._handlers.get(type).add(handler);
    return () => this._handlers.get(type)?.delete(handler);
  }

  /**
   * Calls the handler with every state change: `{state, code, reason, delay, attempt}`.
   * @returns {() => void} a function that removes the handler
   */
  onState(handler) {
    this._stateHandlers.add(handler);
    return () => this._stateHandlers.delete(handler);
  }

  /**
   * Calls the handler with every error reply that no pending request awaits.
   * @returns {() => void} a function that removes the handler
   */
  onError(handler) {
    this._errorHandlers.add(handler);
    return () => this._errorHandlers.delete(handler);
  }

  /**
   * Calls the handler each time the server has synced a stream of a socket with recovery:
   * `{stream, kind, name, epoch, offset, recovered}`. `recovered` is false when messages were
   * missed that the history no longer holds: reload what the page shows of that stream.
   * @returns {() => void} a function that removes the handler
   */
  onRecovered(handler) {
    this._recoveredHandlers.add(handler);
    return () => this._recoveredHandlers.delete(handler);
  }

  /**
   * The last position seen on each stream, as a plain object that `JSON.stringify` can save
   * and the `positions` option takes back: `{'room:lobby': {epoch, offset}, ...}`.
   * @returns {Object<string, {epoch: string, offset: number}>}
   */
  positions() {
    const copies = [...this._positions].map(([stream, { epoch, offset }]) => [stream, { epoch, offset }]);
    return Object.fromEntries(copies);
  }

  /** Whether the connection is open. */
  get isOpen() {
    return this._socket !== null && this._socket.readyState === 1 && this.state === 'open';
  }

  /**
   * Sends a message, an object as JSON or a string as it is, without waiting for a reply.
   * @returns {boolean} false when the connection is not open, and the message was not sent
   */
  send(message) {
    if (!this.isOpen) {
      return false;
    }
    this._socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    return true;
  }

  /**
   * Sends a message with a fresh `id` and resolves with the first message the server sends
   * with that `id`. While the client connects or reconnects, the request waits for the
   * connection to open. Rejects with a SwitchboardError on an error reply, when the timeout
   * passes first, when the connection is lost after the request was sent (the server may
   * or may not have handled it), or when the client is signed out or closed.
   * @param {object} message the message, without `id`
   * @param {{timeout?: number}} [options] the timeout in milliseconds
   * @returns {Promise<object>}
   */
  request(message, options = {}) {
    if (this._stopped) {
      return Promise.reject(new SwitchboardError(`not connected: ${this.state}`, 'not-connected'));
    }
    const id = this._nextId++;
    const timeout = options.timeout ?? this.options.requestTimeout;
    return new Promise((resolve, reject) => {
      const request = { id, resolve, reject, text: JSON.stringify({ ...message, id }) };
      request.timer = setTimeout(() => {
        this._pending.delete(id);
        this._waiting.delete(request);
        reject(new SwitchboardError(`no reply within ${timeout} ms`, 'request-timeout'));
      }, timeout);
      if (this.isOpen) {
        this._dispatchRequest(request);
      } else {
        this._waiting.add(request);
      }
    });
  }

  /**
   * Resolves once the connection is open, at once if it is; rejects when the client is
   * signed out or closed first.
   * @returns {Promise<void>}
   */
  ready() {
    if (this.isOpen) {
      return Promise.resolve();
    }
    if (this._stopped) {
      return Promise.reject(new SwitchboardError(`not connected: ${this.state}`, 'not-connected'));
    }
    return new Promise((resolve, reject) => {
      const off = this.onState(({ state }) => {
        if (state === 'open') {
          off();
          resolve();
        } else if (state === 'signed-out' || state === 'closed') {
          off();
          reject(new SwitchboardError(`not connected: ${state}`, 'not-connected'));
        }
      });
    });
  }

  _dispatchRequest(request) {
    this._pending.set(request.id, request);
    this._socket.send(request.text);
  }

  /** Closes the connection for good. */
  close(code = 1000, reason = 'closed') {
    this._stopped = true;
    clearTimeout(this._timer);
    const socket = this._socket;
    this._socket = null;
    this._failPending('connection closed');
    this._failWaiting('closed');
    this._setState({ state: 'closed', code, reason });
    if (socket && socket.readyState <= 1) {
      socket.close(code, reason);
    }
  }

  async _open() {
    clearTimeout(this._timer);
    this._setState({ state: this._attempt === 0 ? 'connecting' : 'reconnecting', attempt: this._attempt });
    let token;
    try {
      token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    } catch (error) {
      this._retry(1006, `no token: ${error.message}`, false);
      return;
    }
    if (this._stopped) {
      return;
    }
    // A browser cannot set headers on the upgrade: the token goes as the subprotocol after
    // the marker, and the server echoes only the marker.
    const protocols = token ? ['switchboard.token', token, ...this.options.protocols] : this.options.protocols;
    const Socket = this.options.WebSocket || globalThis.WebSocket;
    // Every attempt asks for what was missed since the positions seen so far.
    const socket = new Socket(recoverUrl(this.url, this.positions()), protocols);
    this._socket = socket;
    let openedAt = null;
    socket.onopen = () => {
      if (socket === this._socket) {
        openedAt = Date.now();
        // Requests made while connecting go first, in the order they were made.
        const waiting = [...this._waiting];
        this._waiting.clear();
        waiting.forEach((request) => this._dispatchRequest(request));
        this._setState({ state: 'open' });
      }
    };
    socket.onmessage = (event) => {
      if (socket === this._socket) {
        this._receive(event.data);
      }
    };
    socket.onclose = (event) => {
      if (socket === this._socket) {
        this._socket = null;
        // A connection that lived a while starts the backoff again; one that a refusal
        // closed right after the upgrade does not.
        if (openedAt !== null && Date.now() - openedAt >= this.options.maxDelay) {
          this._attempt = 0;
        }
        this._closed(event, openedAt !== null);
      }
    };
  }

  _receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch (error) {
      this._dispatch('*', data);
      return;
    }
    const frame = streamFrame(message, this.options.typeField);
    if (frame === STREAM_MESSAGE) {
      // The position first, so that a handler that saves the positions saves this one.
      this._record(message);
      if (message.data !== undefined) {
        this._deliver(message.data);
      }
    } else if (frame === STREAM_RECOVERED) {
      this._recovered(message);
    } else {
      this._deliver(message);
    }
  }

  // A message as the application sent it: a reply, an error reply, or one to dispatch.
  _deliver(message) {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this._dispatch('*', message);
      return;
    }
    const pending = message.id !== undefined ? this._pending.get(message.id) : undefined;
    if (pending) {
      this._pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined) {
        pending.reject(new SwitchboardError(message.error, message.code, message));
        return;
      }
      pending.resolve(message);
    } else if (message.error !== undefined) {
      this._errorHandlers.forEach((handler) => handler(message));
      return;
    }
    const type = message[this.options.typeField];
    if (type !== undefined) {
      this._dispatch(type, message);
    }
    if (type !== '*') {
      this._dispatch('*', message);
    }
  }

  _dispatch(type, message) {
    this._handlers.get(type)?.forEach((handler) => handler(message));
  }

  _record(frame) {
    const seen = typeof frame.stream === 'string' ? position(frame) : null;
    if (seen) {
      this._positions.set(frame.stream, seen);
    }
    return seen;
  }

  _recovered(frame) {
    const seen = this._record(frame);
    if (!seen) {
      return;
    }
    const colon = frame.stream.indexOf(':');
    const recovery = {
      stream: frame.stream,
      kind: colon < 0 ? '' : frame.stream.slice(0, colon),
      name: frame.stream.slice(colon + 1),
      epoch: seen.epoch,
      offset: seen.offset,
      recovered: frame.recovered === true,
    };
    this._recoveredHandlers.forEach((handler) => handler({ ...recovery }));
  }

  async _closed(event, opened) {
    this._failPending('connection lost');
    if (this._stopped) {
      return;
    }
    if (event.code === 1008 && this.options.signedOutReasons.includes(event.reason)) {
      this._signedOut(event.code, event.reason);
      return;
    }
    if (event.code === 1000 || event.code === 1008) {
      // The server closed on purpose, or refused for a reason that would not change.
      this._stopped = true;
      this._failWaiting('closed');
      this._setState({ state: 'closed', code: event.code, reason: event.reason });
      return;
    }
    // A refused handshake (401, 403, 429 without reject-after-upgrade) and a server that is
    // down look the same to a browser: 1006 before the connection opened. The application's
    // checkToken tells them apart.
    if (!opened && this.options.checkToken) {
      let valid = true;
      try {
        valid = await this.options.checkToken();
      } catch (error) {
        valid = true; // the check could not be made: the server may be down
      }
      if (this._stopped) {
        return;
      }
      if (valid === false) {
        this._signedOut(event.code, 'invalid token');
        return;
      }
    }
    this._retry(event.code, event.reason || `code ${event.code}`, event.code === 1013);
  }

  _signedOut(code, reason) {
    this._stopped = true;
    this._failWaiting('signed-out');
    this._setState({ state: 'signed-out', code, reason });
  }

  // Exponential backoff with full jitter over its upper half, so that the clients a restart
  // disconnected together do not all come back at once; 1013 (try again later) waits the
  // longest.
  _retry(code, reason, later) {
    const ceiling = later ? this.options.maxDelay
      : Math.min(this.options.maxDelay, this.options.minDelay * 2 ** this._attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this._attempt++;
    this._setState({ state: 'reconnecting', code, reason, delay, attempt: this._attempt });
    this._timer = setTimeout(() => this._open(), delay);
  }

  _failPending(reason) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    pending.forEach(({ reject, timer }) => {
      clearTimeout(timer);
      reject(new SwitchboardError(reason, 'connection-lost'));
    });
  }

  _failWaiting(state) {
    const waiting = [...this._waiting];
    this._waiting.clear();
    waiting.forEach(({ reject, timer }) => {
      clearTimeout(timer);
      reject(new SwitchboardError(`not connected: ${state}`, 'not-connected'));
    });
  }

  _setState(change) {
    const previous = this.state;
    this.state = change.state;
    if (previous === change.state && change.state !== 'reconnecting') {
      return;
    }
    this._stateHandlers.forEach((handler) => handler({ ...change }));
  }
}

// `switchboard.message` or `switchboard.recovered`, named by `type` or by the type field;
// anything else is the application's own.
function streamFrame(message, typeField) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return null;
  }
  for (const type of [message.type, message[typeField]]) {
    if (type === STREAM_MESSAGE || type === STREAM_RECOVERED) {
      return type;
    }
  }
  return null;
}

// {epoch, offset} of a frame or a saved position, or null when it holds none.
function position(value) {
  if (value === null || typeof value !== 'object') {
    return null;
  }
  const { epoch, offset } = value;
  if ((typeof epoch !== 'string' && typeof epoch !== 'number') || !Number.isInteger(offset)) {
    return null;
  }
  return { epoch, offset };
}

// The URL with the positions as a query parameter, percent-encoded so that a server decodes
// it alike whether it takes `+` for a space or not; the URL as it is without positions.
function recoverUrl(url, positions) {
  if (Object.keys(positions).length === 0) {
    return url;
  }
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  const parameter = `${RECOVER_PARAMETER}=${encodeURIComponent(JSON.stringify(positions))}`;
  return `${base}${separator}${parameter}${hash < 0 ? '' : url.slice(hash)}`;
}

function socketUrl(url) {
  if (/^wss?:/.test(url)) {
    return url;
  }
  const absolute = new URL(url, globalThis.location ? globalThis.location.href : undefined);
  absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
  return absolute.href;
}
