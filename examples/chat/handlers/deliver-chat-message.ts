/**
 * Delivers a chat message from one user to another: to every device of the recipient and of the sender (so each of
 * the sender's devices shows the conversation), each device once.
 */
import type { MessageFrame, UndeliveredFrame } from './chat-protocol';
import type { UserDirectory } from './user-directory';
import type { SendResult, WebSocketConnections } from 'cdk-cognito-websocket-api/runtime';

export interface ChatDeps {
  readonly connections: Pick<WebSocketConnections, 'sendToUser'>;
  readonly directory: UserDirectory;
  readonly now: () => Date;
}

export interface ChatSender {
  readonly userId: string;
  readonly username: string;
}

/** What came of a message: delivered to the recipient's devices, or why not (for the sender's connection). */
export type ChatDelivery =
  | { readonly status: 'delivered'; readonly recipient: SendResult; readonly sender: SendResult }
  | { readonly status: 'undelivered'; readonly frame: UndeliveredFrame; readonly sender?: SendResult };

export async function deliverChatMessage(from: ChatSender, to: string, text: string, deps: ChatDeps): Promise<ChatDelivery> {
  const recipientId = await deps.directory.userIdOf(to);
  if (!recipientId) return { status: 'undelivered', frame: { type: 'undelivered', to, reason: 'no-such-user' } };
  const frame: MessageFrame = { type: 'message', from: from.username, to, text, sentAt: deps.now().toISOString() };
  const recipient = await deps.connections.sendToUser(recipientId, frame);
  // A message to oneself is already on every device of the sender.
  const sender = recipientId === from.userId ? recipient : await deps.connections.sendToUser(from.userId, frame);
  if (recipient.delivered.length === 0) {
    return { status: 'undelivered', frame: { type: 'undelivered', to, reason: 'offline' }, sender };
  }
  return { status: 'delivered', recipient, sender };
}
