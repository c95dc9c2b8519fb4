/**
 * `ws` limits whole messages only; API Gateway also limits each frame (32 KiB) and closes the connection with 1009
 * past it. A frame's length is known once `ws`'s receiver has read the frame header, so the check goes there.
 */
import type { WebSocket } from 'ws';

/**
 * The part of `ws`'s (8.x) private `Receiver` the check needs. @types/ws declares none of it, so it is described
 * here rather than reached through `any`; a `ws` without it leaves frames unchecked (messages still are).
 */
interface WsReceiver {
  readonly _opcode: number;
  readonly _payloadLength: number;
  haveLength(callback: (error?: Error) => void): void;
  createError(errorClass: typeof RangeError, message: string, prefix: boolean, statusCode: number, errorCode: string): Error;
}

/** Makes `socket` close with 1009 on a data frame longer than `maxFrameBytes`. */
export function limitFrameSize(socket: WebSocket, maxFrameBytes: number): void {
  const receiver = (socket as unknown as { _receiver?: Partial<WsReceiver> })._receiver;
  const haveLength = receiver?.haveLength;
  if (!receiver || typeof haveLength !== 'function') return;
  receiver.haveLength = function limitedHaveLength(this: WsReceiver, callback: (error?: Error) => void): void {
    // Opcodes 0x08 and above are control frames, which the WebSocket protocol itself limits to 125 bytes.
    if (this._opcode < 0x08 && this._payloadLength > maxFrameBytes) {
      callback(this.createError(RangeError, 'Max frame size exceeded', false, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
      return;
    }
    haveLength.call(this, callback);
  };
}
