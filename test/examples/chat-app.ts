import { App } from 'aws-cdk-lib';
import { ChatStack } from '../../examples/chat/chat-stack';

/** Synthesizes examples/chat into `outdir`, as `cdk synth` in its directory would (its handlers bundled by esbuild). */
export function synthesizeChatApp(outdir: string): void {
  const app = new App({ outdir });
  new ChatStack(app, 'ChatStack');
  app.synth();
}

/** The notifier's local URL, from the outputs the local runtime serves. */
export function notifyUrlOf(outputs: Record<string, Record<string, string>>): string {
  return outputs.ChatStack.notifyUrl;
}
