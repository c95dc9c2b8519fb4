import { parseUserSeedFile } from '../../local/identity/user-seed-file';

describe('the --users file', () => {
  test('reads users with passwords, an email, attributes and groups', () => {
    const users = parseUserSeedFile(JSON.stringify([
      { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com', attributes: { name: 'Alice' }, groups: ['members'] },
      { username: 'bob', password: 'Bob-passw0rd!' },
    ]), 'users.json');
    expect(users).toEqual([
      { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com', attributes: { name: 'Alice' }, groups: ['members'] },
      { username: 'bob', password: 'Bob-passw0rd!' },
    ]);
  });

  test.each([
    ['not JSON', '[{', /users\.json is not JSON/],
    ['not an array', '{"username":"a"}', /users\.json must hold a JSON array of users/],
    ['a user without a password', '[{"username":"a"}]', /users\.json, user 1: "password" must be a non-empty string/],
    ['an unknown field (a typo)', '[{"username":"a","password":"p","group":["x"]}]', /user 1: unknown field group \(fields: username, password, email, attributes, groups\)/],
    ['groups that are not names', '[{"username":"a","password":"p","groups":"members"}]', /user 1 \("a"\): "groups" must be an array of group names/],
    ['attributes that are not strings', '[{"username":"a","password":"p","attributes":{"age":3}}]', /"attributes" must be an object of strings/],
    ['a username twice', '[{"username":"a","password":"p"},{"username":"a","password":"q"}]', /user 2: username "a" is listed twice/],
  ])('refuses %s, naming the file, the entry and the field', (_case, text, message) => {
    expect(() => parseUserSeedFile(text, 'users.json')).toThrow(message);
  });
});
