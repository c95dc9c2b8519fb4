/**
 * Sign-in challenges waiting for their answer (RespondToAuthChallenge), each under an opaque random handle:
 * the `SECRET_BLOCK` of a PASSWORD_VERIFIER challenge, the `Session` of a NEW_PASSWORD_REQUIRED one.
 * A handle is answerable once: taking it removes it, whatever the answer, so a captured answer cannot be
 * replayed; it also expires after the app client's auth session validity. The store is bounded, so a client
 * that starts sign-ins and never answers cannot grow it without limit.
 */
import { randomBytes } from 'node:crypto';
import { CognitoErrors } from './cognito-error';
import { ServerExchange } from './srp-protocol';

interface ChallengeBase {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Undefined for the decoy challenge of an unknown user when user existence errors are prevented. */
  readonly username: string | undefined;
  readonly userIdForSrp: string;
}

export interface PasswordVerifierChallenge extends ChallengeBase {
  readonly name: 'PASSWORD_VERIFIER';
  readonly exchange: ServerExchange;
  readonly verifier: bigint;
}

export interface NewPasswordChallenge extends ChallengeBase {
  readonly name: 'NEW_PASSWORD_REQUIRED';
}

export type PendingChallenge = PasswordVerifierChallenge | NewPasswordChallenge;

/** At most this many unanswered challenges are kept; the oldest is dropped first. */
const MAX_PENDING = 10_000;

export class PendingChallenges {
  private readonly pending = new Map<string, { challenge: PendingChallenge; expiresAt: number }>();

  constructor(private readonly clock: () => number) {}

  /** Stores the challenge and returns its handle (base64, as Cognito's SECRET_BLOCK and Session are). */
  add(challenge: PendingChallenge, validitySeconds: number): string {
    const handle = randomBytes(96).toString('base64');
    this.pending.set(handle, { challenge, expiresAt: this.clock() + validitySeconds * 1000 });
    if (this.pending.size > MAX_PENDING) {
      // A Map iterates in insertion order: the first key is the oldest challenge.
      this.pending.delete(this.pending.keys().next().value as string);
    }
    return handle;
  }

  /** Removes and returns the challenge of `handle`, for the client and challenge name it was issued to. */
  take<Name extends PendingChallenge['name']>(handle: string, clientId: string, name: Name): Extract<PendingChallenge, { name: Name }> {
    const entry = this.pending.get(handle);
    this.pending.delete(handle);
    if (!entry || entry.challenge.clientId !== clientId || entry.challenge.name !== name) throw CognitoErrors.invalidSession();
    if (this.clock() > entry.expiresAt) throw CognitoErrors.sessionExpired();
    return entry.challenge as Extract<PendingChallenge, { name: Name }>;
  }
}
