/**
 * What the chat's clients and backend say to each other. A client sends `{"action": "sendmessage", "to", "text"}`
 * (the notifier takes `{"to", "text"}` over HTTP); the backend sends the frames below.
 */

/** A chat message, to every device of its recipient and of its sender. */
export interface MessageFrame {
  readonly type: 'message';
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly sentAt: string;
}

/** A notification a backend sent, to every device of its recipient. */
export interface NotificationFrame {
  readonly type: 'notification';
  readonly from: string;
  readonly text: string;
  readonly sentAt: string;
}

/** To the sending connection only: the message reached no device. */
export interface UndeliveredFrame {
  readonly type: 'undelivered';
  readonly to: string;
  readonly reason: 'offline' | 'no-such-user';
}

/** To the sending connection only: the request was refused. */
export interface ErrorFrame {
  readonly type: 'error';
  readonly message: string;
}

/** A message's recipient and text, checked. */
export interface ChatRequest {
  readonly to: string;
  readonly text: string;
}

/** Cognito usernames are at most 128 characters. */
const MAX_USERNAME_LENGTH = 128;
/** Room for the frame's other fields within API Gateway's 32 KB client frame. */
export const MAX_TEXT_LENGTH = 4000;

/** The request in a message body, or why it is not one. */
export function parseChatRequest(body: string | null | undefined): ChatRequest | { readonly error: string } {
  let request: unknown;
  try {
    request = JSON.parse(body ?? '');
  } catch {
    return { error: 'the message is not JSON' };
  }
  const { to, text } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  if (typeof to !== 'string' || to.trim() === '' || to.length > MAX_USERNAME_LENGTH) {
    return { error: `"to" must be a username of 1 to ${MAX_USERNAME_LENGTH} characters` };
  }
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT_LENGTH) {
    return { error: `"text" must be 1 to ${MAX_TEXT_LENGTH} characters` };
  }
  return { to: to.trim(), text };
}
