import { App } from 'aws-cdk-lib';
import { SessionsStack } from '../../examples/sessions/sessions-stack';

/** Synthesizes examples/sessions into `outdir`, as `cdk synth` in its directory would. */
export function synthesizeSessionsExample(outdir: string): void {
  const app = new App({ outdir });
  new SessionsStack(app, 'SessionsStack');
  app.synth();
}
