/**
 * Confirmation and verification codes as Cognito sends them: 6 digits, random per request, single-use, valid
 * 24 hours (sign-up, attribute verification) or 1 hour (forgot password); a new code replaces the previous one
 * of the same purpose. No mail leaves this machine: each code is handed to a delivery callback, which the local
 * runtime prints for the developer.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { CognitoErrors } from './cognito-error';

export type CodePurpose = 'SIGN_UP' | 'FORGOT_PASSWORD' | 'VERIFY_ATTRIBUTE';

/** One code, as it would have been sent. */
export interface CodeDelivery {
  readonly userPoolId: string;
  readonly username: string;
  readonly purpose: CodePurpose;
  /** The attribute the code was sent to (`email`). */
  readonly attributeName: string;
  /** Where Cognito would have sent it: the attribute's value. */
  readonly destination: string;
  readonly code: string;
  /** Epoch milliseconds after which the code is refused with ExpiredCodeException. */
  readonly expiresAt: number;
}

/** Cognito's `CodeDeliveryDetails`: the destination masked, as the API returns it to a client. */
export interface CodeDeliveryDetails {
  readonly AttributeName: string;
  readonly DeliveryMedium: 'EMAIL';
  readonly Destination: string;
}

const VALIDITY_MS: Record<CodePurpose, number> = {
  SIGN_UP: 24 * 60 * 60 * 1000,
  VERIFY_ATTRIBUTE: 24 * 60 * 60 * 1000,
  FORGOT_PASSWORD: 60 * 60 * 1000,
};
/**
 * Wrong guesses a code survives; then it is void, and every try (the right code too, and the SDK's retries of
 * the throttling error) gets LimitExceededException until a new code is sent.
 */
const MAX_WRONG_ATTEMPTS = 5;

interface ActiveCode {
  readonly code: string;
  readonly expiresAt: number;
  wrongAttempts: number;
}

export class VerificationCodes {
  private readonly active = new Map<string, ActiveCode>();

  constructor(private readonly clock: () => number, private readonly deliver: (delivery: CodeDelivery) => void) {}

  /** A fresh code for `purpose`, replacing any earlier one, handed to the delivery callback. */
  issue(target: Omit<CodeDelivery, 'code' | 'expiresAt'>): CodeDeliveryDetails {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = this.clock() + VALIDITY_MS[target.purpose];
    this.active.set(keyOf(target.userPoolId, target.username, target.purpose, target.attributeName), { code, expiresAt, wrongAttempts: 0 });
    this.deliver({ ...target, code, expiresAt });
    return { AttributeName: target.attributeName, DeliveryMedium: 'EMAIL', Destination: maskEmail(target.destination) };
  }

  /** Uses up the code, or throws Cognito's error: CodeMismatchException, ExpiredCodeException, LimitExceededException. */
  consume(userPoolId: string, username: string, purpose: CodePurpose, attributeName: string, code: string): void {
    const key = keyOf(userPoolId, username, purpose, attributeName);
    const active = this.active.get(key);
    if (!active) throw CognitoErrors.expiredCode();
    if (active.wrongAttempts >= MAX_WRONG_ATTEMPTS) throw CognitoErrors.attemptLimitExceeded();
    if (this.clock() > active.expiresAt) {
      this.active.delete(key);
      throw CognitoErrors.expiredCode();
    }
    if (!sameCode(active.code, code)) {
      active.wrongAttempts += 1;
      throw active.wrongAttempts >= MAX_WRONG_ATTEMPTS ? CognitoErrors.attemptLimitExceeded() : CognitoErrors.codeMismatch();
    }
    this.active.delete(key);
  }

  /** Drops every code of a user (deleted, or confirmed another way). */
  forget(userPoolId: string, username: string, purpose?: CodePurpose): void {
    const prefix = `${[userPoolId, username, ...(purpose ? [purpose] : [])].join('\u0000')}\u0000`;
    for (const key of this.active.keys()) {
      if (key.startsWith(prefix)) this.active.delete(key);
    }
  }
}

function keyOf(userPoolId: string, username: string, purpose: string, attributeName: string): string {
  // NUL cannot occur in a pool id or username, so no two targets share a key.
  return [userPoolId, username, purpose, attributeName].join('\u0000');
}

function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `a***@e***`, as Cognito masks an email address in CodeDeliveryDetails. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain?.slice(0, 1) ?? ''}***`;
}
