import { ADMIN_USER_OPERATIONS } from './admin-users';
import { GROUP_OPERATIONS } from './groups';
import { Operation } from './operation';
import { PASSWORD_RECOVERY_OPERATIONS } from './password-recovery';
import { SIGN_IN_OPERATIONS } from './sign-in';
import { SIGN_UP_OPERATIONS } from './sign-up';
import { SIGNED_IN_USER_OPERATIONS } from './signed-in-user';

/** Every operation the local endpoint implements, by the name in `X-Amz-Target` (a Map: `__proto__` is just an unknown name). */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(Object.entries({
  ...SIGN_UP_OPERATIONS,
  ...PASSWORD_RECOVERY_OPERATIONS,
  ...SIGN_IN_OPERATIONS,
  ...SIGNED_IN_USER_OPERATIONS,
  ...ADMIN_USER_OPERATIONS,
  ...GROUP_OPERATIONS,
}));
