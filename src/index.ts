export * from './cognito-authorized-web-socket-api';
export * from './token-source';
export * from './token-use';
