// The chat page: endpoints from ./config.json (the local runtime serves it, stack outputs included; for a deployed
// stack, write one beside this page), sign-in through Cognito, one authenticated connection that sends
// {"action": "sendmessage", "to", "text"} and shows what the chat's backend sends, and a notification posted to the
// notifier's function URL with the ID token.
import { AuthenticatedConnection } from './authenticated-connection.js';
import { refreshSession, signIn } from './cognito-sign-in.js';

const $ = (id) => document.getElementById(id);
// Refresh a token this close to its expiry before offering it.
const EXPIRY_MARGIN_SECONDS = 60;

let config = {};
let session;
let connection;

function cognitoSettings() {
  return {
    endpoint: config.cognitoEndpoint || `https://cognito-idp.${config.region}.amazonaws.com/`,
    clientId: config.userPoolClientId,
    userPoolId: config.userPoolId,
  };
}

/** The notifier's URL: the `notifyUrl` output of whichever stack has one. */
function notifyUrl() {
  return Object.values(config.outputs ?? {}).map((outputs) => outputs.notifyUrl).find(Boolean);
}

function setState(state, detail) {
  $('status').dataset.state = state;
  $('status').textContent = detail ? `${state}: ${detail}` : state;
  $('error').textContent = state === 'refused' || state === 'signed-out' ? detail ?? '' : '';
  $('send').disabled = state !== 'open';
  $('notify').disabled = !session || !notifyUrl();
}

async function freshIdToken(afterDrop) {
  if (afterDrop || session.expiresAt - Date.now() / 1000 < EXPIRY_MARGIN_SECONDS) {
    session = { ...(await refreshSession(cognitoSettings(), session)), username: session.username };
  }
  return session.idToken;
}

/** One line per frame the backend sent, marked with its type. */
function show(frame) {
  const item = document.createElement('li');
  item.dataset.type = frame.type ?? 'unknown';
  item.textContent = {
    message: () => `${frame.from} → ${frame.to}: ${frame.text}`,
    notification: () => `notification from ${frame.from}: ${frame.text}`,
    undelivered: () => `not delivered to ${frame.to}: ${frame.reason}`,
    error: () => `error: ${frame.message}`,
  }[frame.type]?.() ?? JSON.stringify(frame);
  $('messages').append(item);
}

function connect() {
  connection?.close();
  const current = new AuthenticatedConnection({
    websocketUrl: config.websocketUrl,
    tokenSource: config.tokenSource,
    tokenQueryParameter: config.tokenQueryParameter,
    // The chat API takes ID tokens (its notifier checks the same token).
    freshToken: freshIdToken,
    onState: (state, detail) => {
      if (connection === current) setState(state, detail);
    },
    onMessage: (data) => {
      try {
        show(JSON.parse(data));
      } catch {
        show({ type: 'unknown', text: data });
      }
    },
  });
  connection = current;
  void current.connect();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { username, password } = Object.fromEntries(new FormData(event.target));
  try {
    session = { ...(await signIn({ ...cognitoSettings(), username, password })), username };
  } catch (err) {
    session = undefined;
    setState('signed-out', `sign-in failed: ${err.message}`);
    return;
  }
  $('user').textContent = username;
  connect();
});

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const { to, text } = Object.fromEntries(new FormData(event.target));
  connection.send(JSON.stringify({ action: 'sendmessage', to, text }));
});

$('notify-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { to, text } = Object.fromEntries(new FormData(event.target));
  const response = await fetch(notifyUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${await freshIdToken(false)}` },
    body: JSON.stringify({ to, text }),
  });
  const answer = await response.json().catch(() => ({}));
  $('notify-result').textContent = response.ok ? `reached ${answer.delivered} device(s) of ${to}` : `refused: ${answer.message ?? response.status}`;
});

const response = await fetch('./config.json', { cache: 'no-store' }).catch(() => undefined);
config = response?.ok ? await response.json() : {};
setState('signed-out');
