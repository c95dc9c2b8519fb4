/** Signs in to a Cognito-compatible endpoint with USER_PASSWORD_AUTH, as the AWS SDK would: returns the ID token. */
export async function signInWithPassword(endpoint: string, clientId: string, username: string, password: string): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  });
  const answer = await response.json() as { AuthenticationResult?: { IdToken?: string } };
  const idToken = answer.AuthenticationResult?.IdToken;
  if (!idToken) throw new Error(`the Cognito endpoint refused the benchmark's sign-in: HTTP ${response.status}`);
  return idToken;
}
