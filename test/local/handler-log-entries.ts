/**
 * The JSON entries in the lines the local runtime hands to `onHandlerLog` as `<function name> <line>`: the
 * construct's handlers write one JSON object per event, naming themselves in `handler`. Other lines are skipped.
 */
export function handlerLogEntries(lines: string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    const json = line.slice(line.indexOf(' ') + 1);
    try {
      const entry = JSON.parse(json.slice(json.indexOf('{')));
      return entry && typeof entry === 'object' ? [entry] : [];
    } catch {
      return [];
    }
  });
}

/** Which of the construct's handlers have logged at least one entry. */
export function loggedHandlers(lines: string[]): Set<unknown> {
  return new Set(handlerLogEntries(lines).map((entry) => entry.handler));
}
