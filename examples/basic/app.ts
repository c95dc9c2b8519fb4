/**
 * The example app: the AWS sample's `BackendStack`, built with the construct.
 * Synthesize it with `npx projen synth:example`, or `npx cdk synth` in this directory.
 */
import { App } from 'aws-cdk-lib';
import { BackendStack } from './backend-stack';

const app = new App();
new BackendStack(app, 'BackendStack');
app.synth();
