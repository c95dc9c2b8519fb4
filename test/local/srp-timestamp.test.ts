import { formatSrpTimestamp, parseSrpTimestamp } from '../../local/identity/srp-timestamp';

describe('the TIMESTAMP of a PASSWORD_VERIFIER answer', () => {
  test('is written as the AWS clients write it: English names, the day not zero-padded, UTC', () => {
    expect(formatSrpTimestamp(Date.UTC(2026, 11, 2, 11, 4, 5))).toBe('Wed Dec 2 11:04:05 UTC 2026');
    expect(formatSrpTimestamp(Date.UTC(2027, 0, 31, 0, 0, 9))).toBe('Sun Jan 31 00:00:09 UTC 2027');
  });

  test('is read back to the same instant, a zero-padded day included (Java\'s "d" accepts it)', () => {
    expect(parseSrpTimestamp('Wed Dec 2 11:04:05 UTC 2026')).toBe(Date.UTC(2026, 11, 2, 11, 4, 5));
    expect(parseSrpTimestamp('Wed Dec 02 11:04:05 UTC 2026')).toBe(Date.UTC(2026, 11, 2, 11, 4, 5));
  });

  test.each([
    ['an ISO date', '2026-12-02T11:04:05.000Z'],
    ['another time zone', 'Wed Dec 2 11:04:05 GMT 2026'],
    ['a weekday that is not the date\'s', 'Tue Dec 2 11:04:05 UTC 2026'],
    ['a day that does not exist', 'Mon Feb 30 11:04:05 UTC 2026'],
    ['an hour past 23', 'Wed Dec 2 24:04:05 UTC 2026'],
    ['localized names', 'Mi Dez 2 11:04:05 UTC 2026'],
  ])('refuses %s', (_case, text) => {
    expect(parseSrpTimestamp(text)).toBeUndefined();
  });
});
