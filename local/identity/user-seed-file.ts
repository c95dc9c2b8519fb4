/**
 * The `--users <file>` of the local runtime: users to create at start, with their passwords, attributes and
 * groups. A JSON array:
 *
 *     [{ "username": "alice", "password": "Alice-passw0rd!", "email": "alice@example.com",
 *        "attributes": { "name": "Alice" }, "groups": ["members"] }]
 *
 * Every mistake is reported with the file, the entry and the field, so the developer can fix it at once.
 */

export interface SeedUser {
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  readonly attributes?: Record<string, string>;
  readonly groups?: string[];
}

const FIELDS = new Set(['username', 'password', 'email', 'attributes', 'groups']);

export function parseUserSeedFile(text: string, fileName: string): SeedUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not JSON (${(error as Error).message}); --users expects an array of users`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${fileName} must hold a JSON array of users, e.g. [{ "username": "alice", "password": "..." }]`);
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const user = seedUser(entry, `${fileName}, user ${index + 1}`);
    if (seen.has(user.username)) throw new Error(`${fileName}, user ${index + 1}: username "${user.username}" is listed twice`);
    seen.add(user.username);
    return user;
  });
}

function seedUser(entry: unknown, where: string): SeedUser {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where} must be an object`);
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((field) => !FIELDS.has(field));
  if (unknown.length > 0) throw new Error(`${where}: unknown field ${unknown.join(', ')} (fields: ${[...FIELDS].join(', ')})`);
  const text = (field: string) => {
    const value = fields[field];
    if (typeof value !== 'string' || value.length === 0) throw new Error(`${where}: "${field}" must be a non-empty string`);
    return value;
  };
  const username = text('username');
  const at = `${where} ("${username}")`;
  const attributes = fields.attributes;
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)
    || Object.values(attributes).some((value) => typeof value !== 'string'))) {
    throw new Error(`${at}: "attributes" must be an object of strings, e.g. { "name": "Alice" }`);
  }
  const groups = fields.groups;
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group.length === 0))) {
    throw new Error(`${at}: "groups" must be an array of group names`);
  }
  return {
    username,
    password: text('password'),
    ...(fields.email !== undefined ? { email: text('email') } : {}),
    ...(attributes !== undefined ? { attributes: attributes as Record<string, string> } : {}),
    ...(groups !== undefined ? { groups: groups as string[] } : {}),
  };
}
