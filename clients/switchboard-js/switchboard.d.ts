// Type declarations of switchboard.js, the browser client of Switchboard sockets.

/** Close reasons, with code 1008, that mean the token is no good: sign in again. */
export declare const SIGNED_OUT_REASONS: readonly string[];

export type State = 'connecting' | 'open' | 'reconnecting' | 'signed-out' | 'closed';

export interface StateChange {
  state: State;
  /** The close code that caused the change, when one did. */
  code?: number;
  /** The close reason, or what went wrong. */
  reason?: string;
  /** For `reconnecting` after a close: how long the client waits before it tries again, in milliseconds. */
  delay?: number;
  /** How many attempts in a row have failed. */
  attempt?: number;
}

/** Where a client is in a stream: the epoch, and the offset of the last message seen in it. */
export interface Position {
  epoch: string;
  offset: number;
}

/** The last position seen on each stream (`room:<room>`, `user:<user>`, `socket:<socket>`). */
export type Positions = Record<string, Position>;

/** The server has synced a stream of a socket with recovery: sent what was missed, if it could. */
export interface Recovery {
  /** The stream, such as `room:lobby`. */
  stream: string;
  /** The part of the stream before the first `:`: `room`, `user` or `socket`. */
  kind: string;
  /** The part after it: the room, the user or the socket. */
  name: string;
  /** The stream's position now. */
  epoch: string;
  offset: number;
  /**
   * Whether the client has everything: the missed messages, if any, were dispatched before.
   * `false` when the history no longer reaches back to the client's position (a new epoch,
   * or trimmed): reload what the page shows of that stream.
   */
  recovered: boolean;
}

export interface Options {
  /** The token, sent as the subprotocol after the `switchboard.token` marker; a function is called before every attempt. */
  token?: string | null | (() => string | null | Promise<string | null>);
  /** Subprotocols of the socket's own, offered after the token. */
  protocols?: string[];
  /** The field that carries a message's type (`switchboard.type-field` on the server). Default `type`. */
  typeField?: string;
  /** How long `request` waits for a reply, in milliseconds. Default 10000. */
  requestTimeout?: number;
  /** The first reconnect's delay ceiling, in milliseconds; it doubles with each failed attempt. Default 500. */
  minDelay?: number;
  /** The longest reconnect delay, in milliseconds. Default 10000. */
  maxDelay?: number;
  /** Close reasons that, with code 1008, mean signed out. Default `SIGNED_OUT_REASONS`. */
  signedOutReasons?: readonly string[];
  /**
   * Called when an attempt ended before the connection opened (a browser sees a refused
   * handshake and a server that is down alike, as 1006): resolving `false` means signed out.
   */
  checkToken?: (() => boolean | Promise<boolean>) | null;
  /** Positions to recover from, as `positions()` returned them, such as those a page saved before a reload. */
  positions?: Positions | null;
  /** The WebSocket class to use. Default the browser's. */
  WebSocket?: typeof WebSocket | null;
}

/** A message from the server: a JSON object, or the text of a frame that is not one. */
export type Message = Record<string, any>;

export declare class SwitchboardError extends Error {
  /** `bad-request`, `not-found`, `forbidden`, `rate-limited`, `timeout`, `internal`, or the client's own `request-timeout`, `connection-lost`, `not-connected`. */
  readonly code: string | undefined;
  /** The error reply, when the server sent one. */
  readonly reply: Message | undefined;
}

export declare class SwitchboardSocket {
  /** The socket's URL, ws: or wss:, without the positions that each attempt adds. */
  readonly url: string;
  readonly state: State;
  readonly isOpen: boolean;
  /** Calls the handler with every message of that type; `*` takes every message. Returns a function that removes it. */
  on(type: string, handler: (message: Message) => void): () => void;
  /** Calls the handler with every state change. Returns a function that removes it. */
  onState(handler: (change: StateChange) => void): () => void;
  /** Calls the handler with every error reply that no pending request awaits. Returns a function that removes it. */
  onError(handler: (reply: Message) => void): () => void;
  /**
   * Calls the handler each time the server has synced a stream of a socket with recovery (at
   * connect, after a room join, after filling a gap). Returns a function that removes it.
   */
  onRecovered(handler: (recovery: Recovery) => void): () => void;
  /** A copy of the last position seen on each stream, sent on every reconnect to recover from. */
  positions(): Positions;
  /** Sends a message (an object as JSON, a string as it is); false when not open. */
  send(message: Message | string): boolean;
  /**
   * Sends a message with a fresh `id` and resolves with the first message that carries it;
   * while the client connects or reconnects, waits for the connection to open.
   */
  request<T extends Message = Message>(message: Message, options?: { timeout?: number }): Promise<T>;
  /** Resolves once the connection is open; rejects when the client is signed out or closed first. */
  ready(): Promise<void>;
  /** Closes the connection for good. */
  close(code?: number, reason?: string): void;
}

/** Opens a connection to a socket and keeps it open, reconnecting with backoff and jitter. */
export declare function connect(url: string, options?: Options): SwitchboardSocket;
