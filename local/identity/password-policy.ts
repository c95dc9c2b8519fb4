/** The template's password policy, enforced wherever Cognito enforces it: sign-up, password changes and resets. */

/** `AWS::Cognito::UserPool` `Policies.PasswordPolicy`, as CloudFormation spells it. */
export interface CloudFormationPasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireLowercase?: boolean;
  readonly RequireUppercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

/** Cognito's wording for the first rule a password breaks, or undefined when it meets the policy. */
export function passwordPolicyViolation(policy: CloudFormationPasswordPolicy | undefined, password: string): string | undefined {
  if (!policy) return undefined;
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
