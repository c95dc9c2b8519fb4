/**
 * The cloud assembly the local runtime serves in figure 6: a new app with the construct and nothing else, as a user's
 * first `cdk synth` writes it, synthesized from src/ with the bundled handlers of assets/. Its stage throttle is raised
 * to the account's default limits (10,000 requests a second, burst 5,000): the local runtime applies the stage's
 * throttle as API Gateway does, and the construct's default (500 a second, burst 1,000) would answer part of a
 * 1,000-connection echo wave Too Many Requests, measuring the throttle instead of the runtime.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CognitoAuthorizedWebSocketApi } from '../../src';

export function synthesizeConstructApp(outdir: string): string {
  const app = new App({ outdir });
  new CognitoAuthorizedWebSocketApi(new Stack(app, 'BackendStack'), 'WebSocket', {
    throttle: { rateLimit: 10_000, burstLimit: 5_000 },
  });
  app.synth();
  return outdir;
}
