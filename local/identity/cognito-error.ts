/**
 * The errors of Cognito's user pool API, with the `__type` and message Cognito sends, so that the AWS SDK,
 * Amplify and amazon-cognito-identity-js raise against the local endpoint the error they raise against AWS.
 */

/** A Cognito service error: clients map `__type` to their exception class. */
export class CognitoError extends Error {
  constructor(readonly type: string, message: string, readonly statusCode = 400) {
    super(message);
  }
}

/** Cognito's wording, one factory per error a client can provoke. */
export const CognitoErrors = {
  incorrectCredentials: () => new CognitoError('NotAuthorizedException', 'Incorrect username or password.'),
  userNotFound: () => new CognitoError('UserNotFoundException', 'User does not exist.'),
  /** What the unauthenticated calls (confirmation, codes, password recovery) say of an unknown user. */
  usernameClientNotFound: () => new CognitoError('UserNotFoundException', 'Username/client id combination not found.'),
  userNotConfirmed: () => new CognitoError('UserNotConfirmedException', 'User is not confirmed.'),
  passwordResetRequired: () => new CognitoError('PasswordResetRequiredException', 'Password reset required for the user'),
  usernameExists: () => new CognitoError('UsernameExistsException', 'User already exists'),
  userAccountExists: () => new CognitoError('UsernameExistsException', 'User account already exists'),
  aliasExists: () => new CognitoError('AliasExistsException', 'An account with the given email already exists.'),
  cannotConfirm: (status: string) => new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${status}`),
  alreadyConfirmed: () => new CognitoError('InvalidParameterException', 'User is already confirmed.'),
  invalidPassword: (rule: string) => new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${rule}`),
  codeMismatch: () => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'),
  expiredCode: () => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  attemptLimitExceeded: () => new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
  noRecoveryDestination: () => new CognitoError('InvalidParameterException',
    'Cannot reset password for the user as there is no registered/verified email or phone_number'),
  invalidRefreshToken: () => new CognitoError('NotAuthorizedException', 'Invalid Refresh Token'),
  refreshTokenExpired: () => new CognitoError('NotAuthorizedException', 'Refresh Token has expired'),
  refreshTokenRevoked: () => new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked'),
  invalidAccessToken: () => new CognitoError('NotAuthorizedException', 'Invalid Access Token'),
  accessTokenExpired: () => new CognitoError('NotAuthorizedException', 'Access Token has expired'),
  accessTokenRevoked: () => new CognitoError('NotAuthorizedException', 'Access Token has been revoked'),
  invalidSession: () => new CognitoError('NotAuthorizedException', 'Invalid session for the user.'),
  sessionExpired: () => new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.'),
  timestampFormat: () => new CognitoError('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.'),
  missingParameter: (name: string) => new CognitoError('InvalidParameterException', `Missing required parameter ${name}`),
  /** A required request member absent, in the wording of AWS's request validation (`clientId`, not `ClientId`). */
  memberNull: (member: string) => new CognitoError('InvalidParameterException',
    `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`),
  invalidParameter: (message: string) => new CognitoError('InvalidParameterException', message),
  unsupportedAuthFlow: (flow: string) => new CognitoError('InvalidParameterException',
    `The local identity endpoint supports AuthFlow USER_SRP_AUTH, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, not ${flow}`),
  flowNotEnabled: (flow: string) => new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`),
  clientNotFound: (clientId: string) => new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`),
  poolNotFound: (userPoolId: string) => new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`),
  groupNotFound: () => new CognitoError('ResourceNotFoundException', 'Group not found.'),
  groupExists: () => new CognitoError('GroupExistsException', 'A group with the name already exists.'),
  revokeOtherClient: () => new CognitoError('UnauthorizedException', 'Client is not authorized to revoke this token'),
  unknownOperation: (operation: string) => new CognitoError('UnknownOperationException',
    `The local identity endpoint does not implement ${operation}`),
  serialization: () => new CognitoError('SerializationException', 'Request body is not a JSON object'),
  tooLarge: () => new CognitoError('InvalidParameterException', 'Request body too large'),
  internal: () => new CognitoError('InternalErrorException', 'Internal error', 500),
};
