/** The template's password policy, enforced wherever Cognito enforces it: sign-up, password changes and resets. */

/** `AWS::Cognito::UserPool` `Policies.PasswordPolicy`, as CloudFormation spells it. */
export interface CloudFormationPasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireLowercase?: boolean;
  readonly RequireUppercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

/** What Cognito enforces for a pool whose template sets no password policy. */
export const COGNITO_DEFAULT_PASSWORD_POLICY: CloudFormationPasswordPolicy = {
  MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
};

/**
 * Cognito's wording for the first rule a password breaks, or undefined when it meets the policy. A pool whose
 * template sets no policy gets Cognito's default one, as in AWS.
 */
export function passwordPolicyViolation(policy: CloudFormationPasswordPolicy | undefined, password: string): string | undefined {
  policy = policy ?? COGNITO_DEFAULT_PASSWORD_POLICY;
  // CloudFormation values may arrive as strings ("true", "8") from a synthesized template.
  const required = (flag: boolean | string | undefined) => flag === true || flag === 'true';
  if (password.length < Number(policy.MinimumLength ?? 8)) return 'Password not long enough';
  if (required(policy.RequireLowercase) && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (required(policy.RequireUppercase) && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (required(policy.RequireNumbers) && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (required(policy.RequireSymbols) && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) {
    return 'Password must have symbol characters';
  }
  return undefined;
}
