/**
 * The sessions example: tokens out of the URL (the subprotocol), access tokens with a scope, members only, a
 * connection limit, and connections that end with their token.
 * Serve it locally with `npm run start:sessions`, or synthesize it with `npx cdk synth` in this directory.
 */
import { App } from 'aws-cdk-lib';
import { SessionsStack } from './sessions-stack';

const app = new App();
new SessionsStack(app, 'SessionsStack');
app.synth();
