// A WebSocket to the API that carries the token where the API reads it: offered as a subprotocol
// beside the application protocol (`TokenSource.subprotocol()`: the token is in no URL), or in the
// query string (the construct's default, the AWS sample's `idToken`). After a drop (the server also
// closes a connection whose token expired) it reconnects with exponential backoff and full jitter,
// getting a fresh token first so an expired one is never offered.

/** The application protocol offered beside the token; the server answers with it, never with the token. */
export const APPLICATION_PROTOCOL = 'echo.v1';

const MAX_RECONNECT_ATTEMPTS = 8;

/** Delay before reconnect attempt `attempt` (0-based): full jitter over 0.5 s · 2^attempt, capped at 30 s. */
export function reconnectDelayMs(attempt, random = Math.random) {
  return Math.round(random() * Math.min(30_000, 500 * 2 ** attempt));
}

export class AuthenticatedConnection {
  /**
   * @param {object} options
   * @param {string} options.websocketUrl wss:// (or ws:// locally) URL of the stage
   * @param {string} [options.tokenQueryParameter] query string parameter that carries the token
   * @param {{kind: string, name: string}} [options.tokenSource] where the API reads the token (config.json's `tokenSource`)
   * @param {(afterDrop: boolean) => Promise<string>} options.freshToken a token valid for a while yet (after a drop, a newly refreshed one)
   * @param {(state: string, detail?: string) => void} options.onState connection state changes
   * @param {(data: string) => void} options.onMessage every message the server sends
   */
  constructor(options) {
    this.options = options;
    this.socket = undefined;
    this.reconnectAttempt = 0;
    this.reconnectTimer = undefined;
    this.closedByUser = false;
  }

  async connect() {
    this.closedByUser = false;
    this.reconnectAttempt = 0;
    await this.open(false);
  }

  send(text) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      throw new Error('not connected');
    }
    this.socket.send(text);
  }

  close() {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'closed by user');
  }

  async open(reconnecting) {
    const { websocketUrl, tokenSource, onState, onMessage } = this.options;
    if (tokenSource?.kind === 'header') {
      // A browser's WebSocket cannot set a request header.
      onState('refused', `this API reads the token from the ${tokenSource.name} header, which a browser cannot set`);
      return;
    }
    onState(reconnecting ? 'reconnecting' : 'connecting');
    let token;
    try {
      token = await this.options.freshToken(reconnecting);
    } catch (err) {
      onState('signed-out', `session expired: sign in again (${err.message})`);
      return;
    }
    if (this.closedByUser) return;
    const socket = tokenSource?.kind === 'subprotocol'
      ? new WebSocket(websocketUrl, [APPLICATION_PROTOCOL, token])
      : new WebSocket(urlWithToken(websocketUrl, tokenSource?.name ?? this.options.tokenQueryParameter ?? 'idToken', token));
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.reconnectAttempt = 0;
      onState('open');
    });
    socket.addEventListener('message', (event) => onMessage(String(event.data)));
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.closedByUser) {
        onState('closed');
        return;
      }
      if (!opened && !reconnecting) {
        // A browser sees a refused handshake (401/403) only as a close before open; no status, no reason.
        onState('refused', 'connection refused: token rejected or expired');
        return;
      }
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    if (this.reconnectAttempt >= MAX_RECONNECT_ATTEMPTS) {
      this.options.onState('closed', `could not reconnect after ${MAX_RECONNECT_ATTEMPTS} attempts`);
      return;
    }
    const delay = reconnectDelayMs(this.reconnectAttempt++);
    this.options.onState('waiting', `reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${this.reconnectAttempt})`);
    this.reconnectTimer = setTimeout(() => void this.open(true), delay);
  }
}

function urlWithToken(websocketUrl, parameter, token) {
  const url = new URL(websocketUrl);
  url.searchParams.set(parameter, token);
  return url;
}
