// Cognito's SRP sign-in (USER_SRP_AUTH) in the browser, with BigInt and Web Crypto, computed as Amplify and
// amazon-cognito-identity-js compute it: the RFC 5054 3072-bit group, g = 2, SHA-256; integers hashed as
// Java's BigInteger.toByteArray() writes them; the key HKDF-SHA256(S, salt u, "Caldera Derived Key"), 16 bytes;
// the claim HMAC-SHA256(key, poolName | USER_ID_FOR_SRP | SECRET_BLOCK | TIMESTAMP). The password never leaves
// the page.

const N = BigInt('0x'
  + 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
  + 'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
  + 'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const G = 2n;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const utf8 = (text) => new TextEncoder().encode(text);

function toByteArray(value) {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

function bigIntOf(bytes) {
  return bytes.length === 0 ? 0n : BigInt(`0x${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`);
}

function concat(...parts) {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

async function sha256(...parts) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
}

function modPow(base, exponent, modulus) {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** Cognito's TIMESTAMP: `Tue Dec 2 11:04:05 UTC 2026` (the day not zero-padded). */
export function cognitoTimestamp(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** The client's secret `a` (1024 random bits, as the AWS clients draw it) and public `A = g^a mod N`, as `SRP_A`. */
export function startSrp() {
  const a = bigIntOf(crypto.getRandomValues(new Uint8Array(128)));
  return { a, srpA: modPow(G, a, N).toString(16) };
}

/** The ChallengeResponses of PASSWORD_VERIFIER: proof that this page knows the password, for this challenge only. */
export async function passwordVerifierResponses({ userPoolId, password, challengeParameters, srp, now = new Date() }) {
  const poolName = userPoolId.slice(userPoolId.indexOf('_') + 1);
  const { USER_ID_FOR_SRP: userId, SRP_B: srpB, SALT: salt, SECRET_BLOCK: secretBlock } = challengeParameters;
  const A = BigInt(`0x${srp.srpA}`);
  const B = BigInt(`0x${srpB}`);
  if (B % N === 0n) throw new Error('the server sent an invalid SRP_B');
  const u = bigIntOf(await sha256(toByteArray(A), toByteArray(B)));
  if (u === 0n) throw new Error('the server sent an invalid SRP_B');
  const k = bigIntOf(await sha256(toByteArray(N), toByteArray(G)));
  const x = bigIntOf(await sha256(toByteArray(BigInt(`0x${salt}`)), await sha256(utf8(`${poolName}${userId}:${password}`))));
  const S = modPow(B - k * modPow(G, x, N), srp.a + u * x, N);
  const hkdfKey = await crypto.subtle.importKey('raw', toByteArray(S), 'HKDF', false, ['deriveBits']);
  const key = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: toByteArray(u), info: utf8('Caldera Derived Key') }, hkdfKey, 128);
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const timestamp = cognitoTimestamp(now);
  const secretBlockBytes = Uint8Array.from(atob(secretBlock), (char) => char.charCodeAt(0));
  const claim = await crypto.subtle.sign('HMAC', hmacKey, concat(utf8(poolName), utf8(userId), secretBlockBytes, utf8(timestamp)));
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    PASSWORD_CLAIM_SIGNATURE: btoa(String.fromCharCode(...new Uint8Array(claim))),
    TIMESTAMP: timestamp,
  };
}
