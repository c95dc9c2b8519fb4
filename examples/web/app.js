// The page: endpoints from ./config.json (served by the local runtime) or the form (a deployed
// stack's outputs), sign-in through Cognito, one authenticated connection, echo log.
import { AuthenticatedConnection } from './authenticated-connection.js';
import { defaultCognitoEndpoint, refreshSession, revokeSession, signIn } from './cognito-sign-in.js';

const SESSION_KEY = 'cdk-cognito-websocket-api:session';
const CONFIG_KEY = 'cdk-cognito-websocket-api:config';
// Refresh a token this close to its expiry before offering it.
const EXPIRY_MARGIN_SECONDS = 60;

const $ = (id) => document.getElementById(id);
const configForm = $('config-form');
const signInForm = $('sign-in-form');

let config = {};
let session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
let connection;

function cognitoSettings() {
  return {
    endpoint: config.cognitoEndpoint || defaultCognitoEndpoint(config.userPoolId),
    clientId: config.userPoolClientId,
    userPoolId: config.userPoolId,
  };
}

function showError(text) {
  $('error').textContent = text ?? '';
}

function setState(state, detail) {
  $('status').dataset.state = state;
  $('status').textContent = detail ? `${state}: ${detail}` : state;
  if (state === 'refused' || state === 'signed-out') {
    showError(detail);
  }
  const open = state === 'open';
  $('send').disabled = !open;
  $('disconnect').disabled = !['open', 'connecting', 'reconnecting', 'waiting'].includes(state);
  $('connect').disabled = !session || !$('disconnect').disabled;
}

function saveSession(next) {
  session = next;
  if (next) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
  } else {
    sessionStorage.removeItem(SESSION_KEY);
  }
  $('user').textContent = next?.username ?? 'nobody';
  $('sign-out').hidden = !next;
}

/** The token the API takes (`config.tokenUse`: the ID token unless it says `access`), refreshed when it is about to expire. */
async function freshToken(afterDrop) {
  if (afterDrop || session.expiresAt - Date.now() / 1000 < EXPIRY_MARGIN_SECONDS) {
    saveSession({ ...(await refreshSession(cognitoSettings(), session)), username: session.username });
  }
  return config.tokenUse === 'access' ? session.accessToken : session.idToken;
}

function logLine(text) {
  const item = document.createElement('li');
  item.textContent = text;
  $('log').prepend(item);
}

async function loadConfig() {
  const stored = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null');
  let served;
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    served = response.ok ? await response.json() : undefined;
  } catch {
    served = undefined;
  }
  // The runtime's endpoints change on every start; a served config wins over a remembered one.
  config = served ?? stored ?? {};
  for (const field of ['websocketUrl', 'userPoolId', 'userPoolClientId', 'cognitoEndpoint']) {
    configForm.elements[field].value = config[field] ?? '';
  }
  if (config.demoUsername) signInForm.elements.username.value = config.demoUsername;
  if (config.demoPassword) signInForm.elements.password.value = config.demoPassword;
  $('settings').open = !config.websocketUrl;
}

configForm.addEventListener('submit', (event) => {
  event.preventDefault();
  config = Object.fromEntries(new FormData(configForm));
  localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
  showError('');
});

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  const { username, password } = Object.fromEntries(new FormData(signInForm));
  try {
    saveSession({ ...(await signIn({ ...cognitoSettings(), username, password })), username });
    setState('signed-in');
  } catch (err) {
    saveSession(undefined);
    setState('signed-out');
    showError(`sign-in failed: ${err.message}`);
  }
});

$('sign-out').addEventListener('click', () => {
  connection?.close();
  connection = undefined;
  // Best effort: signing out here must not wait for, or fail with, the network.
  revokeSession(cognitoSettings(), session).catch(() => undefined);
  saveSession(undefined);
  setState('signed-out');
});

$('connect').addEventListener('click', () => {
  showError('');
  connection?.close();
  const current = new AuthenticatedConnection({
    websocketUrl: config.websocketUrl,
    tokenQueryParameter: config.tokenQueryParameter,
    tokenSource: config.tokenSource,
    freshToken,
    // A replaced connection's late close event must not overwrite the state of the current one.
    onState: (state, detail) => {
      if (connection === current) setState(state, detail);
    },
    onMessage: (data) => {
      let text = data;
      try {
        text = JSON.parse(data).message ?? data;
      } catch {
        // Not JSON: show it as it came.
      }
      logLine(`echo: ${text}`);
    },
  });
  connection = current;
  void current.connect();
});

$('disconnect').addEventListener('click', () => connection?.close());

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = new FormData(event.target).get('text');
  connection.send(String(text));
  logLine(`sent: ${text}`);
});

await loadConfig();
saveSession(session);
setState(session ? 'signed-in' : 'signed-out');
