/**
 * The server side of Cognito's SRP-6a (USER_SRP_AUTH): the RFC 5054 3072-bit group with g = 2, SHA-256, and
 * Cognito's own encoding, key derivation and password claim, as amazon-cognito-identity-js's
 * AuthenticationHelper and Amplify's `utils/srp` compute them on the client:
 *
 * - an integer is hashed as Java's `BigInteger.toByteArray()` writes it (shortest two's complement, so a
 *   leading 0x00 when the top bit is set), not padded to the length of N;
 * - k = H(N | g), u = H(A | B), x = H(salt | H(poolName | userIdForSrp | ":" | password)), v = g^x mod N;
 * - the session key is HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"), 16 bytes;
 * - the claim is HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK bytes | TIMESTAMP), base64.
 *
 * Modular exponentiation is OpenSSL's (through node:crypto's Diffie-Hellman, whose private key is the
 * exponent): constant-time, and a few milliseconds for the 3072-bit group.
 */
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

/** The RFC 5054 3072-bit safe prime. */
export const SRP_N = BigInt(`0x${N_HEX}`);
const N_BYTES = Buffer.from(N_HEX, 'hex');
const SRP_G = 2n;
const G_BYTES = Buffer.from([2]);
const SRP_K = bigIntOf(sha256(srpBytes(SRP_N), srpBytes(SRP_G)));
const KEY_INFO = Buffer.from('Caldera Derived Key', 'utf8');
/** 256 bits, RFC 5054's minimum for the server's secret exponent. */
const SECRET_EXPONENT_BYTES = 32;

/** What the pool keeps of a password: the salt and the verifier g^x mod N, never the password. */
export interface PasswordVerifier {
  readonly salt: bigint;
  readonly verifier: bigint;
}

/** The server's half of one SRP exchange: its secret `b`, its public `B`, and the client's `A`. */
export interface ServerExchange {
  readonly clientPublic: bigint;
  readonly serverSecret: bigint;
  readonly serverPublic: bigint;
}

/** Cognito's byte encoding of a non-negative integer: Java's `BigInteger.toByteArray()`. */
export function srpBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

/** A fresh salt and the verifier of `password`, for the user whose `USER_ID_FOR_SRP` is `userIdForSrp`. */
export function createPasswordVerifier(poolName: string, userIdForSrp: string, password: string): PasswordVerifier {
  const salt = bigIntOf(randomBytes(16));
  return { salt, verifier: verifierOf(poolName, userIdForSrp, password, salt) };
}

/** Whether `password` is the one the verifier was made from (the USER_PASSWORD_AUTH check), in constant time. */
export function passwordMatchesVerifier(poolName: string, userIdForSrp: string, password: string, stored: PasswordVerifier): boolean {
  const candidate = verifierOf(poolName, userIdForSrp, password, stored.salt);
  return timingSafeEqual(fixedWidth(candidate), fixedWidth(stored.verifier));
}

/** The client's `SRP_A` as a number, or undefined when it is not hex or is 0 mod N (which would make S = 0 for any password). */
export function parseClientPublic(srpA: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,1024}$/.test(srpA)) return undefined;
  const clientPublic = BigInt(`0x${srpA}`);
  return clientPublic % SRP_N === 0n ? undefined : clientPublic;
}

/** The server's reply to `A`: a fresh secret `b` and `B = k·v + g^b mod N`. */
export function startServerExchange(clientPublic: bigint, verifier: bigint): ServerExchange {
  for (;;) {
    const serverSecret = bigIntOf(randomBytes(SECRET_EXPONENT_BYTES));
    const serverPublic = (SRP_K * verifier + modPow(SRP_G, serverSecret)) % SRP_N;
    // B = 0 mod N would let anyone compute S; the client refuses it too. Vanishingly rare: draw again.
    if (serverPublic !== 0n && serverSecret !== 0n) return { clientPublic, serverSecret, serverPublic };
  }
}

/**
 * The 16-byte key both sides derive: HKDF(S = (A·v^u)^b mod N, salt u). Undefined when u = 0, which the protocol
 * forbids, or when A·v^u is 1 or N - 1, for which S would not depend on b.
 */
export function sessionKey(exchange: ServerExchange, verifier: bigint): Buffer | undefined {
  const u = bigIntOf(sha256(srpBytes(exchange.clientPublic), srpBytes(exchange.serverPublic)));
  if (u === 0n) return undefined;
  let sharedSecret: bigint;
  try {
    sharedSecret = modPow((exchange.clientPublic * modPow(verifier, u)) % SRP_N, exchange.serverSecret);
  } catch {
    return undefined;
  }
  return Buffer.from(hkdfSync('sha256', srpBytes(sharedSecret), srpBytes(u), KEY_INFO, 16));
}

/** The PASSWORD_CLAIM_SIGNATURE a client that knows the password sends (base64 of an HMAC-SHA256). */
export function passwordClaim(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: Buffer, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(poolName, 'utf8'))
    .update(Buffer.from(userIdForSrp, 'utf8'))
    .update(secretBlock)
    .update(Buffer.from(timestamp, 'utf8'))
    .digest();
}

/** Compares the claim the client sent (base64) with the expected one, in constant time. */
export function claimMatches(expected: Buffer, sentBase64: string): boolean {
  const sent = Buffer.from(sentBase64, 'base64');
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

function verifierOf(poolName: string, userIdForSrp: string, password: string, salt: bigint): bigint {
  const identityHash = sha256(Buffer.from(`${poolName}${userIdForSrp}:${password}`, 'utf8'));
  const x = bigIntOf(sha256(srpBytes(salt), identityHash));
  return modPow(SRP_G, x);
}

/**
 * base^exponent mod N by OpenSSL, through a Diffie-Hellman key pair over N with generator 2 whose private key is
 * the exponent: its public key is g^exponent, and its shared secret with `base` is base^exponent. (A key pair with
 * `base` as its generator would be checked as a DH group first, which takes seconds for a 3072-bit prime.)
 * OpenSSL refuses a base of 0, 1 or N - 1, or one outside 0..N: that throws, and the caller refuses the exchange.
 */
function modPow(base: bigint, exponent: bigint): bigint {
  if (exponent === 0n) return 1n;
  const exchange = createDiffieHellman(N_BYTES, G_BYTES);
  exchange.setPrivateKey(Buffer.from(hexOf(exponent), 'hex'));
  return bigIntOf(base === SRP_G ? exchange.generateKeys() : exchange.computeSecret(fixedWidth(base % SRP_N)));
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function bigIntOf(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function hexOf(value: bigint): string {
  const hex = value.toString(16);
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

/** A number below N as exactly as many bytes as N, so equal-length buffers can be compared in constant time. */
function fixedWidth(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(N_BYTES.length * 2, '0'), 'hex');
}
