import { codeAnnouncementEvent, codeAnnouncementLine } from '../../local/code-announcement';
import { CodeDelivery } from '../../local/identity';

const delivery: CodeDelivery = {
  userPoolId: 'eu-west-1_LocalPool1',
  username: 'alice',
  purpose: 'SIGN_UP',
  attributeName: 'email',
  destination: 'alice@example.com',
  code: '042917',
  expiresAt: Date.UTC(2026, 11, 3, 11, 4, 5),
};

describe('a code the local runtime shows', () => {
  test('reads as one line: the code, what it is for, whose, where it went and until when', () => {
    expect(codeAnnouncementLine(delivery)).toBe(
      '  Code 042917       sign-up confirmation for alice, sent to alice@example.com, valid until 2026-12-03T11:04:05Z');
    expect(codeAnnouncementLine({ ...delivery, purpose: 'FORGOT_PASSWORD' })).toContain('password reset for alice');
  });

  test('is one JSON event for programs, the code as a string (leading zeros kept)', () => {
    expect(JSON.parse(JSON.stringify(codeAnnouncementEvent(delivery)))).toEqual({
      event: 'code',
      purpose: 'SIGN_UP',
      userPoolId: 'eu-west-1_LocalPool1',
      username: 'alice',
      attributeName: 'email',
      destination: 'alice@example.com',
      code: '042917',
      expiresAt: '2026-12-03T11:04:05.000Z',
    });
  });
});
