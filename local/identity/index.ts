export * from './local-identity-provider';
export * from './cognito-tokens';
