/**
 * One JSON object per line on stdout: CloudWatch Logs Insights parses it as fields.
 * process.stdout.write rather than console.log, because the Lambda runtime prefixes
 * console output with a timestamp and request id, which would break the JSON line.
 *
 * Callers pass only fields they chose (ids, codes, counts), never an event, a token
 * or an error message: nothing here filters what it is given.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Writes one log line; injected so tests can capture lines without touching stdout. */
export type LogWriter = (fields: LogFields) => void;

export const writeJsonLogLine: LogWriter = (fields) => {
  process.stdout.write(JSON.stringify(fields) + '\n');
};

/** The AWS SDK sets `name` to the service's error code (ResourceNotFoundException, ...): safe to log, unlike the message. */
export function errorNameOf(err: unknown): string {
  return err instanceof Error ? err.name : 'unknown';
}
