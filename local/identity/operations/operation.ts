import { CognitoRequest } from '../cognito-request';
import { IdentityState } from '../identity-state';

/** One operation of Cognito's API (`X-Amz-Target: AWSCognitoIdentityProviderService.<name>`): its JSON result. */
export type Operation = (request: CognitoRequest, state: IdentityState) => unknown;
