/**
 * API Gateway's route selection for a WebSocket message: the route selection expression `$request.body.<path>`
 * evaluated against the message as JSON. Anything else (another expression, a message that is not JSON, a value
 * that names no route) goes to `$default`; `$connect` and `$disconnect` run only for the connection's lifecycle,
 * never for a message that names them.
 */
export function selectRoute(routeSelectionExpression: string, body: string, routeKeys: { has(routeKey: string): boolean }): string {
  const match = /^\$request\.body\.(.+)$/.exec(routeSelectionExpression);
  if (!match) return '$default';
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return '$default';
  }
  for (const key of match[1].split('.')) {
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return '$default';
  const routeKey = String(value);
  return routeKey !== '$connect' && routeKey !== '$disconnect' && routeKeys.has(routeKey) ? routeKey : '$default';
}
