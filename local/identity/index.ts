export * from './local-identity-provider';
export * from './cognito-tokens';
export type { LocalUserPoolOptions, LocalGroupOptions } from './identity-state';
export type { LocalAppClientOptions, CloudFormationAppClientProperties } from './app-client-settings';
export { appClientFromTemplate } from './app-client-settings';
export type { CloudFormationPasswordPolicy } from './password-policy';
export { COGNITO_DEFAULT_PASSWORD_POLICY, passwordPolicyViolation } from './password-policy';
export type { CodeDelivery, CodePurpose } from './verification-codes';
