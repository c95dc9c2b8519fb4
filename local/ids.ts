/**
 * The ids the local runtime makes up, random (connection and request ids) or stable from one start to the next
 * (user pool, client and API ids, so a web client's saved settings keep working), drawn from an alphabet so
 * they look like the ids AWS issues.
 */
import { createHash, randomFillSync } from 'node:crypto';

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const HEXADECIMAL = '0123456789abcdef';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: every event the gateway builds takes two or three ids, and
 * a call into the random generator per id was 6% of the runtime's CPU time under load (a profile of 600 connects).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBytesFromPool(length: number): Uint8Array {
  if (length > pool.length) return randomFillSync(Buffer.alloc(length));
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += length;
  return pool.subarray(poolOffset - length, poolOffset);
}

/** `length` characters of `alphabet`, different every time. */
export function randomId(length: number, alphabet = ALPHANUMERIC): string {
  return spell(randomBytesFromPool(length), alphabet);
}

/** `length` characters of `alphabet`, the same for the same `seed` (at most 32 characters: one SHA-256 digest). */
export function stableId(seed: string, length: number, alphabet: string): string {
  if (length > 32) throw new RangeError(`a stable id has at most 32 characters, not ${length}`);
  return spell(createHash('sha256').update(seed).digest().subarray(0, length), alphabet);
}

function spell(bytes: Uint8Array, alphabet: string): string {
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}
