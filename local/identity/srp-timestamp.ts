/**
 * The TIMESTAMP of Cognito's PASSWORD_VERIFIER answer: `EEE MMM d HH:mm:ss 'UTC' yyyy` in English, the day of
 * the month not zero-padded (`Tue Dec 2 11:04:05 UTC 2026`), as amazon-cognito-identity-js's DateHelper and
 * Amplify's `getNowString` write it. It is signed with the claim, so a claim cannot be replayed later.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** How far a signed TIMESTAMP may be from the endpoint's clock, either way. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

export function formatSrpTimestamp(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** Milliseconds since the epoch, or undefined when the text is not a real date in that format (weekday included). */
export function parseSrpTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, weekday, month, day, hours, minutes, seconds, year] = match;
  const epochMs = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hours), Number(minutes), Number(seconds));
  // Date.UTC rolls "Feb 30" or "25:00:00" over into another date: only a round trip proves the text was a real one.
  return formatSrpTimestamp(epochMs) === `${weekday} ${month} ${Number(day)} ${hours}:${minutes}:${seconds} UTC ${year}`
    ? epochMs
    : undefined;
}
