/** Reads a required environment variable; a missing one is a deployment error, reported at cold start. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${name} is not set`);
  }
  return value;
}

/** Splits a comma-separated list, dropping blanks: `'a, b,,'` is `['a', 'b']`. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Splits a space-separated list (OAuth scopes, which cannot contain spaces): `' a  b '` is `['a', 'b']`. */
export function spaceList(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((item) => item !== '');
}

/** A whole number above zero, or `undefined` when the variable is unset or empty; anything else fails the cold start. */
export function optionalPositiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number`);
  }
  return value;
}
