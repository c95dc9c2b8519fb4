import { selectRoute } from '../../local/route-selection';

const routes = new Set(['$connect', '$disconnect', '$default', 'sendMessage', '42', 'true']);

describe('route selection for a WebSocket message', () => {
  test('the value at $request.body.<path> names the route, through nested objects too', () => {
    expect(selectRoute('$request.body.action', '{"action":"sendMessage"}', routes)).toBe('sendMessage');
    expect(selectRoute('$request.body.meta.kind', '{"meta":{"kind":"sendMessage"}}', routes)).toBe('sendMessage');
  });

  test('a number or boolean value names the route spelled as that value', () => {
    expect(selectRoute('$request.body.action', '{"action":42}', routes)).toBe('42');
    expect(selectRoute('$request.body.action', '{"action":true}', routes)).toBe('true');
  });

  test('a message that is not JSON, lacks the value, or names no route goes to $default', () => {
    expect(selectRoute('$request.body.action', 'hello', routes)).toBe('$default');
    expect(selectRoute('$request.body.action', '{"other":"sendMessage"}', routes)).toBe('$default');
    expect(selectRoute('$request.body.action', '{"action":"unknown"}', routes)).toBe('$default');
    expect(selectRoute('$request.body.action', '{"action":{"nested":"sendMessage"}}', routes)).toBe('$default');
    expect(selectRoute('$request.body.meta.kind', '{"meta":"sendMessage"}', routes)).toBe('$default');
  });

  test('a message never selects $connect or $disconnect', () => {
    expect(selectRoute('$request.body.action', '{"action":"$connect"}', routes)).toBe('$default');
    expect(selectRoute('$request.body.action', '{"action":"$disconnect"}', routes)).toBe('$default');
  });

  test('an expression other than $request.body.<path> sends everything to $default', () => {
    expect(selectRoute('${request.body.action}', '{"action":"sendMessage"}', routes)).toBe('$default');
  });
});
