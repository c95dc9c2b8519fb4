import { writeJsonLogLine } from '../structured-log';
import { createAuthorizer } from './authorize-connect';
import { readAuthorizerConfig } from './authorizer-config';
import { createCognitoTokenVerifier } from './cognito-token-verifier';

// Module scope: the verifier and its JWKS cache live as long as the container, so the JWKS
// is downloaded once per container, not once per $connect.
const config = readAuthorizerConfig(process.env);

export const handler = createAuthorizer({
  config,
  verifier: createCognitoTokenVerifier(config),
  log: writeJsonLogLine,
});
