import { fromEnv, FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * The credential provider of the handler bundles: the bundle task aliases `@aws-sdk/credential-provider-node` (the
 * SDK clients' default chain) to this module. Lambda gives every function its role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the local runtime sets the same variables. The
 * rest of the default chain (profiles, SSO, web identity, process, container and instance metadata, with the STS and
 * SSO clients they bring) is never used by a handler, yet it was about 40 % of a handler bundle: code read and
 * compiled at every cold start.
 *
 * Without those variables a request fails with the SDK's CredentialsProviderError; the handlers log its name.
 */
export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);
