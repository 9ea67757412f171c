import { normaliseKeyword, parseSmsKeyword } from '../../src/modules/consent/sms-keywords';

describe('parseSmsKeyword', () => {
  it.each([
    ['STOP', 'opt-out', 'STOP'],
    ['stop.', 'opt-out', 'STOP'],
    [' Td ', 'opt-out', 'TD'],
    ['退订', 'opt-out', '退订'],
    ['退订！', 'opt-out', '退订'],
    ['　退订。', 'opt-out', '退订'],
    ['T', 'opt-out', 'T'],
    ['t', 'opt-out', 'T'],
    ['STOPALL', 'opt-out', 'STOPALL'],
    ['Unsubscribe', 'opt-out', 'UNSUBSCRIBE'],
    ['cancel', 'opt-out', 'CANCEL'],
    ['End!', 'opt-out', 'END'],
    ['quit', 'opt-out', 'QUIT'],
    ['ＳＴＯＰ', 'opt-out', 'STOP'],
    ['"stop"', 'opt-out', 'STOP'],
    ['STOP 🙏', 'opt-out', 'STOP'],
    ['\u200bstop\n', 'opt-out', 'STOP'],
    ['START', 'opt-in', 'START'],
    ['unstop', 'opt-in', 'UNSTOP'],
    ['yes', 'opt-in', 'YES'],
    ['Yes!', 'opt-in', 'YES'],
    ['help', 'help', 'HELP'],
    ['HELP?', 'help', 'HELP'],
  ])('reads %j as %s', (text, action, keyword) => {
    expect(parseSmsKeyword(text)).toEqual({ action, keyword });
  });

  it.each(['hello', 'stop it now', 'please stop', 'TDD', 'S T O P', '退订吧', '', '   ', '!!!', 'toString', '__proto__'])(
    'ignores %j (not a whole-message keyword)',
    (text) => {
      expect(parseSmsKeyword(text)).toEqual({ action: 'none' });
    },
  );

  it('ignores a missing body', () => {
    expect(parseSmsKeyword(undefined)).toEqual({ action: 'none' });
    expect(parseSmsKeyword(null)).toEqual({ action: 'none' });
  });

  it('keeps inner punctuation, so only the edges are forgiven', () => {
    expect(normaliseKeyword('  s.t.o.p  ')).toBe('S.T.O.P');
  });
});
