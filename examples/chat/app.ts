/**
 * The chat example: users send each other messages over the construct's WebSocket API, delivered to every device
 * of the recipient and of the sender, and a backend outside the API notifies a user over HTTP.
 * Serve it locally with `npm run start:chat`, or synthesize it with `npx cdk synth` in this directory.
 */
import { App } from 'aws-cdk-lib';
import { ChatStack } from './chat-stack';

const app = new App();
new ChatStack(app, 'ChatStack');
app.synth();
