/**
 * amazon-cognito-identity-js's callback API as promises, so tests read as steps. Each call goes through the
 * library's own code (its SRP, its error mapping), unchanged but for the endpoint.
 */
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, CognitoUserSession, ISignUpResult,
} from 'amazon-cognito-identity-js';

/** The error the library passes to its callbacks: `code` and `name` are Cognito's `__type`. */
export interface CognitoLibraryError extends Error {
  readonly code: string;
}

export function userPool(endpoint: string, userPoolId: string, clientId: string): CognitoUserPool {
  // The library appends nothing to the endpoint: it POSTs to it as it is, as to https://cognito-idp.<region>.amazonaws.com/.
  return new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint: `${endpoint}/` });
}

export function user(pool: CognitoUserPool, username: string): CognitoUser {
  return new CognitoUser({ Username: username, Pool: pool });
}

/** `authenticateUser`: SRP, the library's default flow. */
export function authenticate(cognitoUser: CognitoUser, password: string): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: cognitoUser.getUsername(), Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

export function signUp(pool: CognitoUserPool, username: string, password: string, email: string): Promise<ISignUpResult> {
  return new Promise((resolve, reject) => {
    pool.signUp(username, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (error, result) => {
      if (error || !result) reject(error);
      else resolve(result);
    });
  });
}

export function confirmRegistration(cognitoUser: CognitoUser, code: string): Promise<void> {
  return new Promise((resolve, reject) => {
    cognitoUser.confirmRegistration(code, false, (error) => (error ? reject(error) : resolve()));
  });
}

export function forgotPassword(cognitoUser: CognitoUser): Promise<void> {
  return new Promise((resolve, reject) => {
    cognitoUser.forgotPassword({ onSuccess: () => resolve(), onFailure: reject, inputVerificationCode: () => resolve() });
  });
}

export function confirmPassword(cognitoUser: CognitoUser, code: string, newPassword: string): Promise<void> {
  return new Promise((resolve, reject) => {
    cognitoUser.confirmPassword(code, newPassword, { onSuccess: () => resolve(), onFailure: reject });
  });
}

export function refreshSession(cognitoUser: CognitoUser, session: CognitoUserSession): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    cognitoUser.refreshSession(session.getRefreshToken(), (error, refreshed: CognitoUserSession) => (error ? reject(error) : resolve(refreshed)));
  });
}

/** `signOut` with a callback: the library revokes the refresh token (RevokeToken) before clearing its cache. */
export function signOut(cognitoUser: CognitoUser): Promise<void> {
  // The library's typings declare the callback without arguments; it is called with the RevokeToken error, if any.
  const signOutWithResult = cognitoUser.signOut as (callback: (error?: Error) => void) => void;
  return new Promise((resolve, reject) => {
    signOutWithResult.call(cognitoUser, (error) => (error ? reject(error) : resolve()));
  });
}

export function globalSignOut(cognitoUser: CognitoUser): Promise<void> {
  return new Promise((resolve, reject) => {
    cognitoUser.globalSignOut({ onSuccess: () => resolve(), onFailure: reject });
  });
}

export function getUserAttributes(cognitoUser: CognitoUser): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    cognitoUser.getUserAttributes((error, attributes) => {
      if (error || !attributes) reject(error);
      else resolve(Object.fromEntries(attributes.map((attribute) => [attribute.getName(), attribute.getValue()])));
    });
  });
}
