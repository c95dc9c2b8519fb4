/**
 * The cloud assembly the local runtime serves in figure 6: a new app with the construct and nothing else, as a user's
 * first `cdk synth` writes it, synthesized from src/ with the bundled handlers of assets/.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CognitoAuthorizedWebSocketApi } from '../../src';

export function synthesizeConstructApp(outdir: string): string {
  const app = new App({ outdir });
  new CognitoAuthorizedWebSocketApi(new Stack(app, 'BackendStack'), 'WebSocket');
  app.synth();
  return outdir;
}
