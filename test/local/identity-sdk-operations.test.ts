import {
  AdminAddUserToGroupCommand, AdminConfirmSignUpCommand, AdminCreateUserCommand, AdminDeleteUserCommand, AdminGetUserCommand,
  AdminListGroupsForUserCommand, AdminRemoveUserFromGroupCommand, AdminSetUserPasswordCommand, AdminUserGlobalSignOutCommand,
  ChangePasswordCommand, CodeMismatchException, ConfirmForgotPasswordCommand, ConfirmSignUpCommand, CreateGroupCommand, DeleteUserCommand,
  ExpiredCodeException, ForgotPasswordCommand, GetUserAttributeVerificationCodeCommand, GetUserCommand, GlobalSignOutCommand,
  GroupExistsException, InitiateAuthCommand, InvalidParameterException, InvalidPasswordException, LimitExceededException, ListGroupsCommand,
  ListUsersCommand, NotAuthorizedException, ResendConfirmationCodeCommand, ResourceNotFoundException, RespondToAuthChallengeCommand,
  SignUpCommand, UpdateUserAttributesCommand, UserNotFoundException, VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CLIENT_ID, IdentityFixture, jwtClaims, PASSWORD, POOL_ID, startIdentity, tokenVerifier } from './local-identity-fixture';
import { appClientFromTemplate } from '../../local/identity';

const HOUR_MS = 60 * 60 * 1000;

describe('the AWS SDK v3 Cognito client, for every operation the local endpoint implements', () => {
  let identity: IdentityFixture;
  let now = Date.UTC(2030, 0, 1);

  const passwordSignIn = (username: string, password = PASSWORD, clientId = CLIENT_ID) => identity.sdk.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  const tokensOf = async (username: string, password = PASSWORD) => (await passwordSignIn(username, password)).AuthenticationResult!;
  const signUp = (username: string) => identity.sdk.send(new SignUpCommand({
    ClientId: CLIENT_ID, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  }));

  beforeEach(async () => {
    now = Date.UTC(2030, 0, 1);
    identity = await startIdentity({
      clock: () => now,
      userPools: [{
        userPoolId: POOL_ID,
        autoVerifyEmail: true,
        aliasAttributes: ['email'],
        passwordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
        groups: [{ groupName: 'members', description: 'from the template', precedence: 1 }],
        clientIds: [CLIENT_ID, 'shortlivedclient', 'srponlyclient'],
        clientSettings: [
          appClientFromTemplate('shortlivedclient', {
            IdTokenValidity: 5,
            AccessTokenValidity: 10,
            RefreshTokenValidity: 60,
            TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
          appClientFromTemplate('srponlyclient', {}),
        ],
      }],
    });
  });

  afterEach(async () => {
    await identity.close();
  });

  describe('sign-up codes', () => {
    test('a sign-up code expires after 24 hours: ExpiredCodeException; a resent code confirms', async () => {
      await signUp('ann');
      const first = identity.codeFor('ann', 'SIGN_UP');
      now += 24 * HOUR_MS + 1000;
      await expect(identity.sdk.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'ann', ConfirmationCode: first })))
        .rejects.toBeInstanceOf(ExpiredCodeException);
      const resent = await identity.sdk.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT_ID, Username: 'ann' }));
      expect(resent.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
      await identity.sdk.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'ann', ConfirmationCode: identity.codeFor('ann', 'SIGN_UP') }));
      expect(jwtClaims((await tokensOf('ann')).IdToken!)).toMatchObject({ email_verified: true });
    });

    test('each request gets a new random code, and the new one replaces the old', async () => {
      await signUp('bea');
      const codes = new Set([identity.codeFor('bea', 'SIGN_UP')]);
      for (let i = 0; i < 4; i++) {
        await identity.sdk.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT_ID, Username: 'bea' }));
        codes.add(identity.codeFor('bea', 'SIGN_UP'));
      }
      // Five 6-digit draws colliding is a one-in-ten-thousand event at worst: two distinct values prove the draw is not fixed.
      expect(codes.size).toBeGreaterThan(1);
      const replaced = identity.codes.filter((code) => code.username === 'bea').find((code) => code.code !== identity.codeFor('bea', 'SIGN_UP'))!.code;
      await expect(identity.sdk.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'bea', ConfirmationCode: replaced })))
        .rejects.toBeInstanceOf(CodeMismatchException);
    });

    test('five wrong codes void the code: LimitExceededException, the right code too, until a new code is sent', async () => {
      await signUp('cid');
      const right = identity.codeFor('cid', 'SIGN_UP');
      const wrong = right === '111111' ? '222222' : '111111';
      const confirm = (code: string) => identity.sdk.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'cid', ConfirmationCode: code }));
      for (let i = 0; i < 4; i++) await expect(confirm(wrong)).rejects.toBeInstanceOf(CodeMismatchException);
      await expect(confirm(wrong)).rejects.toBeInstanceOf(LimitExceededException);
      await expect(confirm(right)).rejects.toBeInstanceOf(LimitExceededException);
      await identity.sdk.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT_ID, Username: 'cid' }));
      await confirm(identity.codeFor('cid', 'SIGN_UP'));
    });

    test('a forgot-password code is valid for one hour, and a weak new password is refused without using it up', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'dee', password: PASSWORD, email: 'dee@example.com' });
      await identity.sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: 'dee' }));
      const code = identity.codeFor('dee', 'FORGOT_PASSWORD');
      const reset = (password: string) => identity.sdk.send(new ConfirmForgotPasswordCommand({
        ClientId: CLIENT_ID, Username: 'dee', ConfirmationCode: code, Password: password,
      }));
      await expect(reset('weak')).rejects.toBeInstanceOf(InvalidPasswordException);
      now += HOUR_MS - 1000;
      await reset('Renewed-pass-1');
      await tokensOf('dee', 'Renewed-pass-1');

      await identity.sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: 'dee' }));
      now += HOUR_MS + 1000;
      await expect(identity.sdk.send(new ConfirmForgotPasswordCommand({
        ClientId: CLIENT_ID, Username: 'dee', ConfirmationCode: identity.codeFor('dee', 'FORGOT_PASSWORD'), Password: 'Other-pass-2',
      }))).rejects.toBeInstanceOf(ExpiredCodeException);
    });

    test('ForgotPassword for a user without a verified email is refused with Cognito\'s message', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'eli', password: PASSWORD });
      const forgot = identity.sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: 'eli' }));
      await expect(forgot).rejects.toBeInstanceOf(InvalidParameterException);
      await expect(forgot).rejects.toThrow('Cannot reset password for the user as there is no registered/verified email or phone_number');
      await expect(identity.sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: 'nobody' })))
        .rejects.toThrow('Username/client id combination not found.');
    });
  });

  describe('signed-in calls with the access token', () => {
    test('GetUser, ChangePassword (the previous password must be right), then only the new password signs in', async () => {
      const { sub } = identity.provider.createUser({ userPoolId: POOL_ID, username: 'fay', password: PASSWORD, email: 'fay@example.com' });
      const { AccessToken } = await tokensOf('fay');
      const me = await identity.sdk.send(new GetUserCommand({ AccessToken }));
      expect(me.Username).toBe('fay');
      expect(me.UserAttributes).toEqual([
        { Name: 'sub', Value: sub }, { Name: 'email', Value: 'fay@example.com' }, { Name: 'email_verified', Value: 'true' },
      ]);
      await expect(identity.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Not-mine-1', ProposedPassword: 'Changed-pass-1' })))
        .rejects.toThrow('Incorrect username or password.');
      await identity.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Changed-pass-1' }));
      await expect(passwordSignIn('fay')).rejects.toBeInstanceOf(NotAuthorizedException);
      await tokensOf('fay', 'Changed-pass-1');
    });

    test('a changed email is unverified until the code sent to it comes back through VerifyUserAttribute', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'gus', password: PASSWORD, email: 'gus@example.com' });
      const { AccessToken } = await tokensOf('gus');
      const update = await identity.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'gus@example.org' }] }));
      expect(update.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@e***' }]);
      expect(identity.codes.pop()).toMatchObject({ purpose: 'VERIFY_ATTRIBUTE', destination: 'gus@example.org' });
      const attributes = async () => Object.fromEntries((await identity.sdk.send(new GetUserCommand({ AccessToken }))).UserAttributes!
        .map(({ Name, Value }) => [Name, Value]));
      expect(await attributes()).toMatchObject({ email: 'gus@example.org', email_verified: 'false' });

      await identity.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
      await identity.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: identity.codeFor('gus', 'VERIFY_ATTRIBUTE') }));
      expect(await attributes()).toMatchObject({ email: 'gus@example.org', email_verified: 'true' });
      await expect(identity.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })))
        .rejects.toThrow('A client attempted to write unauthorized attribute');
    });

    test('GlobalSignOut: refresh tokens and Cognito\'s API refuse the sign-in at once; the access token still verifies until it expires, as in AWS', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'hal', password: PASSWORD });
      const tokens = await tokensOf('hal');
      await identity.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
      await expect(identity.sdk.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }))).rejects.toThrow('Refresh Token has been revoked');
      await expect(identity.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toThrow('Access Token has been revoked');
      const verifier = tokenVerifier(identity.provider, 'access');
      // aws-jwt-verify checks exp against the real clock; the endpoint's clock is set in 2030, so the token is valid now.
      expect(await verifier.verify(tokens.AccessToken!)).toMatchObject({ username: 'hal' });
      // A new sign-in is not affected.
      await identity.sdk.send(new GetUserCommand({ AccessToken: (await tokensOf('hal')).AccessToken }));
    });

    test('an expired or forged access token is refused with Cognito\'s messages', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'ida', password: PASSWORD });
      const { AccessToken } = await tokensOf('ida');
      const [header, , signature] = AccessToken!.split('.');
      // The same signature over claims changed to name another user.
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...jwtClaims(AccessToken!), username: 'admin' })).toString('base64url')}.${signature}`;
      await expect(identity.sdk.send(new GetUserCommand({ AccessToken: forged }))).rejects.toThrow('Invalid Access Token');
      await expect(identity.sdk.send(new GetUserCommand({ AccessToken: 'not-a-jwt' }))).rejects.toThrow('Invalid Access Token');
      now += HOUR_MS;
      await expect(identity.sdk.send(new GetUserCommand({ AccessToken }))).rejects.toThrow('Access Token has expired');
    });

    test('DeleteUser: the user is gone and their refresh token no longer works', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'jo', password: PASSWORD });
      const tokens = await tokensOf('jo');
      await identity.sdk.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken }));
      await expect(passwordSignIn('jo')).rejects.toBeInstanceOf(UserNotFoundException);
      await expect(identity.sdk.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }))).rejects.toBeInstanceOf(NotAuthorizedException);
    });
  });

  describe('admin calls (any credentials: the endpoint does not check SigV4 signatures)', () => {
    test('AdminCreateUser with a temporary password: the first sign-in answers NEW_PASSWORD_REQUIRED, then the user is CONFIRMED', async () => {
      const created = await identity.sdk.send(new AdminCreateUserCommand({
        UserPoolId: POOL_ID,
        Username: 'kim',
        TemporaryPassword: 'Temporary-1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }));
      expect(created.User).toMatchObject({ Username: 'kim', UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
      expect(created.User!.UserCreateDate).toEqual(new Date(now));

      const challenge = await passwordSignIn('kim', 'Temporary-1');
      expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      expect(JSON.parse(challenge.ChallengeParameters!.userAttributes)).toEqual({ email: 'kim@example.com', email_verified: 'true' });
      const answered = await identity.sdk.send(new RespondToAuthChallengeCommand({
        ClientId: CLIENT_ID,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'kim', NEW_PASSWORD: 'Permanent-1' },
      }));
      expect(answered.AuthenticationResult!.IdToken).toEqual(expect.any(String));
      expect((await identity.sdk.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'kim' }))).UserStatus).toBe('CONFIRMED');
      await expect(identity.sdk.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'kim' })))
        .rejects.toThrow('User account already exists');
    });

    test('AdminSetUserPassword (permanent), AdminConfirmSignUp, AdminGetUser, ListUsers with a filter, AdminDeleteUser', async () => {
      await signUp('lee');
      await identity.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: POOL_ID, Username: 'lee' }));
      await expect(identity.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: POOL_ID, Username: 'lee' })))
        .rejects.toThrow('User cannot be confirmed. Current status is CONFIRMED');
      await identity.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'lee', Password: 'Set-by-admin-1', Permanent: true }));
      await tokensOf('lee', 'Set-by-admin-1');
      const got = await identity.sdk.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'lee' }));
      expect(got).toMatchObject({ Username: 'lee', UserStatus: 'CONFIRMED', Enabled: true });
      expect(got.UserAttributes).toContainEqual({ Name: 'email', Value: 'lee@example.com' });

      await signUp('leo');
      const listed = await identity.sdk.send(new ListUsersCommand({ UserPoolId: POOL_ID, Filter: 'username ^= "le"', AttributesToGet: ['email'] }));
      expect(listed.Users!.map((listedUser) => [listedUser.Username, listedUser.UserStatus, listedUser.Attributes])).toEqual([
        ['lee', 'CONFIRMED', [{ Name: 'email', Value: 'lee@example.com' }]],
        ['leo', 'UNCONFIRMED', [{ Name: 'email', Value: 'leo@example.com' }]],
      ]);
      const unconfirmed = await identity.sdk.send(new ListUsersCommand({ UserPoolId: POOL_ID, Filter: 'cognito:user_status = "UNCONFIRMED"' }));
      expect(unconfirmed.Users!.map((listedUser) => listedUser.Username)).toEqual(['leo']);
      await expect(identity.sdk.send(new ListUsersCommand({ UserPoolId: POOL_ID, Filter: 'password = "x"' }))).rejects.toThrow('Error while parsing filter.');

      await identity.sdk.send(new AdminDeleteUserCommand({ UserPoolId: POOL_ID, Username: 'lee' }));
      await expect(identity.sdk.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'lee' }))).rejects.toThrow('User does not exist.');
      await expect(identity.sdk.send(new AdminGetUserCommand({ UserPoolId: 'eu-west-1_Nope', Username: 'lee' })))
        .rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    test('ListUsers pages with PaginationToken', async () => {
      for (let i = 0; i < 5; i++) identity.provider.createUser({ userPoolId: POOL_ID, username: `user${i}`, password: PASSWORD });
      const first = await identity.sdk.send(new ListUsersCommand({ UserPoolId: POOL_ID, Limit: 3 }));
      const second = await identity.sdk.send(new ListUsersCommand({ UserPoolId: POOL_ID, Limit: 3, PaginationToken: first.PaginationToken }));
      expect([...first.Users!, ...second.Users!].map((listedUser) => listedUser.Username)).toEqual(['user0', 'user1', 'user2', 'user3', 'user4']);
      expect(second.PaginationToken).toBeUndefined();
    });

    test('AdminUserGlobalSignOut revokes the user\'s refresh tokens', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'max', password: PASSWORD });
      const tokens = await tokensOf('max');
      await identity.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: POOL_ID, Username: 'max' }));
      await expect(identity.sdk.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }))).rejects.toThrow('Refresh Token has been revoked');
    });
  });

  describe('groups', () => {
    test('the template\'s groups exist at start; CreateGroup adds one, twice is GroupExistsException', async () => {
      const listed = await identity.sdk.send(new ListGroupsCommand({ UserPoolId: POOL_ID }));
      expect(listed.Groups!.map((group) => [group.GroupName, group.Description, group.Precedence])).toEqual([['members', 'from the template', 1]]);
      const created = await identity.sdk.send(new CreateGroupCommand({ UserPoolId: POOL_ID, GroupName: 'admins', Description: 'Admins' }));
      expect(created.Group).toMatchObject({ GroupName: 'admins', UserPoolId: POOL_ID, Description: 'Admins' });
      await expect(identity.sdk.send(new CreateGroupCommand({ UserPoolId: POOL_ID, GroupName: 'admins' }))).rejects.toBeInstanceOf(GroupExistsException);
    });

    test('a user added to a group has cognito:groups in both tokens from the next refresh; removed, the claim is gone', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'ned', password: PASSWORD });
      const tokens = await tokensOf('ned');
      expect(jwtClaims(tokens.IdToken!)).not.toHaveProperty('cognito:groups');
      const refresh = async () => (await identity.sdk.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }))).AuthenticationResult!;

      await identity.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: 'ned', GroupName: 'members' }));
      const inGroup = await refresh();
      expect(jwtClaims(inGroup.IdToken!)['cognito:groups']).toEqual(['members']);
      expect(jwtClaims(inGroup.AccessToken!)['cognito:groups']).toEqual(['members']);
      const groups = await identity.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL_ID, Username: 'ned' }));
      expect(groups.Groups!.map((group) => group.GroupName)).toEqual(['members']);

      await identity.sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: POOL_ID, Username: 'ned', GroupName: 'members' }));
      const outOfGroup = await refresh();
      expect(jwtClaims(outOfGroup.IdToken!)).not.toHaveProperty('cognito:groups');
      expect(jwtClaims(outOfGroup.AccessToken!)).not.toHaveProperty('cognito:groups');
      await expect(identity.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: 'ned', GroupName: 'nope' })))
        .rejects.toThrow('Group not found.');
    });
  });

  describe('the app client\'s settings', () => {
    test('token lifetimes follow the client: ID 5 min, access 10 min, refresh 60 min (TokenValidityUnits minutes)', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'ora', password: PASSWORD });
      const signedIn = (await passwordSignIn('ora', PASSWORD, 'shortlivedclient')).AuthenticationResult!;
      expect(signedIn.ExpiresIn).toBe(600);
      const id = jwtClaims(signedIn.IdToken!);
      const access = jwtClaims(signedIn.AccessToken!);
      expect([Number(id.exp) - Number(id.iat), Number(access.exp) - Number(access.iat)]).toEqual([300, 600]);
      now += 61 * 60 * 1000;
      await expect(identity.sdk.send(new InitiateAuthCommand({
        ClientId: 'shortlivedclient', AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! },
      }))).rejects.toThrow('Refresh Token has expired');
    });

    test('a flow the client does not allow is refused as Cognito refuses it', async () => {
      identity.provider.createUser({ userPoolId: POOL_ID, username: 'pat', password: PASSWORD });
      await expect(passwordSignIn('pat', PASSWORD, 'srponlyclient')).rejects.toThrow('USER_PASSWORD_AUTH flow not enabled for this client');
      await expect(identity.sdk.send(new InitiateAuthCommand({
        ClientId: 'shortlivedclient', AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'pat', SRP_A: '2' },
      }))).rejects.toThrow('USER_SRP_AUTH flow not enabled for this client');
    });

    test('without TokenValidityUnits, ID and access validity are hours and refresh validity days', () => {
      expect(appClientFromTemplate('c', { IdTokenValidity: 2, AccessTokenValidity: '3', RefreshTokenValidity: 7 })).toMatchObject({
        idTokenValiditySeconds: 7200, accessTokenValiditySeconds: 10800, refreshTokenValiditySeconds: 7 * 86400,
      });
    });
  });
});
