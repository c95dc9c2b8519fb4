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
