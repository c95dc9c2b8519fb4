/**
 * How the local runtime shows a code its identity endpoint sent, where Cognito would have emailed it: one line
 * for a person, or one JSON event line (after the endpoints line) for a program that drives the CLI.
 */
import type { CodeDelivery, CodePurpose } from './identity';

const PURPOSES: Record<CodePurpose, string> = {
  SIGN_UP: 'sign-up confirmation',
  FORGOT_PASSWORD: 'password reset',
  VERIFY_ATTRIBUTE: 'attribute verification',
};

/** `Code 123456  sign-up confirmation for alice, sent to alice@example.com, valid until 2026-12-03T11:04:05Z` */
export function codeAnnouncementLine(delivery: CodeDelivery): string {
  const validUntil = new Date(delivery.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `  Code ${delivery.code}       ${PURPOSES[delivery.purpose]} for ${delivery.username}, sent to ${delivery.destination}, `
    + `valid until ${validUntil}`;
}

/** The `--json` event: `{"event":"code", ...}`, the expiry as an ISO date. */
export function codeAnnouncementEvent(delivery: CodeDelivery): Record<string, unknown> {
  return {
    event: 'code',
    purpose: delivery.purpose,
    userPoolId: delivery.userPoolId,
    username: delivery.username,
    attributeName: delivery.attributeName,
    destination: delivery.destination,
    code: delivery.code,
    expiresAt: new Date(delivery.expiresAt).toISOString(),
  };
}
