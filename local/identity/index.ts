export * from './local-identity-provider';
export * from './cognito-tokens';
export { LocalUserPoolOptions, LocalGroupOptions } from './identity-state';
export { LocalAppClientOptions, CloudFormationAppClientProperties, appClientFromTemplate } from './app-client-settings';
export { CloudFormationPasswordPolicy, passwordPolicyViolation } from './password-policy';
export { CodeDelivery, CodePurpose } from './verification-codes';
