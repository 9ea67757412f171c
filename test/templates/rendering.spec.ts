import { checkTemplate, renderTemplate } from '../../src/modules/templates/render/handlebars-engine';
import { renderEmail } from '../../src/modules/templates/render/email-renderer';
import { assembleMarketingSms } from '../../src/modules/templates/render/sms-compliance';
import { smsStats } from '../../src/modules/templates/render/sms-counter';
import { DomainError } from '../../src/shared/errors';

const zh = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
const en = { locale: 'en', timeZone: 'America/New_York' };
const vars = (contact: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  contact: { name: '王丽', gender: 'female', tags: ['vip'], attributes: { city: '杭州' }, ...contact },
  brand: { name: '熊猫旅游', phone: '400-800-1234', signature: '【熊猫旅游】' },
  ...extra,
});
const text = (source: string, variables: object = vars(), settings = zh) => renderTemplate(source, 'body', variables, settings, false);
const problemOf = (source: string): DomainError => {
  try {
    checkTemplate(source, 'body');
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the template to be rejected');
};

describe('template checks against the known variable schema', () => {
  it('rejects an unknown variable with unknown_variable naming it', () => {
    const error = problemOf('您好 {{contact.nmae}}');
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('unknown_variable');
    expect(error.message).toContain('contact.nmae');
    expect(error.details).toEqual([{ field: 'body', message: 'unknown variable contact.nmae' }]);
  });

  it('rejects unknown top-level names, sub-paths of leaves and unknown helpers', () => {
    expect(problemOf('{{coupon}}').message).toContain('coupon');
    expect(problemOf('{{contact.name.first}}').message).toContain('contact.name.first');
    expect(problemOf('{{shout contact.name}}').code).toBe('unknown_helper');
    expect(problemOf('{{#if (upper contact.nope)}}x{{/if}}').message).toContain('contact.nope');
    expect(problemOf('{{> header}}').message).toContain('partials');
  });

  it('accepts helpers, blocks, attributes.* and loop variables', () => {
    expect(() => checkTemplate('{{#each contact.tags}}{{this}}{{@index}}{{../brand.name}}{{/each}}', 'body')).not.toThrow();
    expect(() => checkTemplate('{{#with contact}}{{name}}{{salutation}}{{/with}}{{contact.attributes.city}}', 'body')).not.toThrow();
    expect(() => checkTemplate('{{formatDate holiday.date "M/d"}}{{default contact.firstName "朋友"}}{{upper @root.brand.name}}', 'body')).not.toThrow();
  });

  it('rejects a name unknown inside a with-block', () => {
    expect(problemOf('{{#with contact}}{{nmae}}{{/with}}').message).toContain('nmae');
  });

  it('reports a syntax error as bad input on the part', () => {
    const error = problemOf('{{#if contact.name}}unclosed');
    expect(error.kind).toBe('validation_failed');
    expect(error.details[0].field).toBe('body');
  });

  it('renders a known but empty field as empty, or through default', () => {
    const nameless = vars({ name: null, firstName: null });
    expect(text('Hi {{contact.name}}!', nameless)).toBe('Hi !');
    expect(text('Hi {{default contact.firstName "friend"}}!', nameless)).toBe('Hi friend!');
    expect(text('{{holiday.name}}|{{order.amount}}', nameless)).toBe('|');
  });
});

describe('escaping', () => {
  const risky = vars({ name: 'Tom & <Jerry>' });
  it('never escapes SMS text', () => {
    expect(text('{{contact.name}}', risky)).toBe('Tom & <Jerry>');
  });
  it('escapes variables in e-mail HTML', () => {
    expect(renderTemplate('<p>{{contact.name}}</p>', 'html', risky, en, true)).toBe('<p>Tom &amp; &lt;Jerry&gt;</p>');
  });
});

describe('helpers', () => {
  it('formats dates with the locale: 2027年9月15日 / September 15, 2027', () => {
    const v = vars({}, { holiday: { date: '2027-09-15' } });
    expect(text('{{formatDate holiday.date}}', v, zh)).toBe('2027年9月15日');
    expect(text('{{formatDate holiday.date}}', v, en)).toBe('September 15, 2027');
    expect(text('{{formatDate holiday.date "EEEE"}}', v, zh)).toBe('星期三');
  });

  it('shows an instant on the contact wall clock', () => {
    const v = vars({}, { order: { placedAt: '2027-09-14T20:00:00Z' } });
    expect(text('{{formatDate order.placedAt}}', v, zh)).toBe('2027年9月15日');
    expect(text('{{formatDate order.placedAt}}', v, en)).toBe('September 14, 2027');
  });

  it('says 女士/先生 in Chinese and Ms./Mr. in English, from the gender', () => {
    expect(text('王{{salutation}}', vars({ gender: 'female' }), zh)).toBe('王女士');
    expect(text('李{{salutation}}', vars({ gender: 'male' }), zh)).toBe('李先生');
    expect(text('{{salutation}} Smith', vars({ gender: 'female' }), en)).toBe('Ms. Smith');
    expect(text('{{salutation "male"}} Smith', vars(), en)).toBe('Mr. Smith');
    expect(text('[{{salutation}}]', vars({ gender: 'unspecified' }), zh)).toBe('[]');
  });

  it('upper-cases', () => {
    expect(text('{{upper brand.name}}', { ...vars(), brand: { name: 'panda tours' } }, en)).toBe('PANDA TOURS');
  });
});

describe(renderEmail.name, () => {
  const html = '<html><head><style>p { color: #c0392b; }</style></head><body><h1>Hi {{contact.name}}</h1><p>From {{brand.name}}</p></body></html>';

  it('inlines CSS and derives the text part from the HTML', () => {
    const mail = renderEmail({ subject: '{{brand.name}} & you', body: '', html }, vars({ name: 'Ann' }), en);
    expect(mail.subject).toBe('熊猫旅游 & you');
    expect(mail.html).toContain('<p style="color: #c0392b;">From 熊猫旅游</p>');
    expect(mail.html).not.toContain('<style>');
    expect(mail.text).toContain('From 熊猫旅游');
    expect(mail.text).not.toContain('<');
  });

  it('uses the text body when one is given', () => {
    const mail = renderEmail({ subject: 's', body: 'Plain {{contact.name}}', html }, vars({ name: 'A&B' }), en);
    expect(mail.text).toBe('Plain A&B');
    expect(mail.html).toContain('A&amp;B');
  });
});

describe(smsStats.name, () => {
  it.each([
    ['70 CJK characters in one UCS-2 segment', '中'.repeat(70), 'UCS-2', 1],
    ['71 CJK characters in two UCS-2 segments', '中'.repeat(71), 'UCS-2', 2],
    ['160 GSM characters in one segment', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM characters in two segments', 'a'.repeat(161), 'GSM-7', 2],
  ])('counts %s', (_label, body, encoding, segments) => {
    expect(smsStats(body)).toEqual({ encoding, segments, characters: body.length });
  });
});

describe(assembleMarketingSms.name, () => {
  const rules = { signature: '熊猫旅游', optOutHint: '回T退订' };
  it('puts the signature first and the opt-out hint last on holiday and promo SMS', () => {
    expect(assembleMarketingSms('祝您中秋节愉快！', 'holiday', rules)).toBe('【熊猫旅游】祝您中秋节愉快！回T退订');
    expect(assembleMarketingSms('Sale on', 'promo', { signature: '', optOutHint: 'Reply STOP to opt out' })).toBe('Sale on Reply STOP to opt out');
  });
  it('does not add them twice', () => {
    expect(assembleMarketingSms('【熊猫旅游】祝您中秋节愉快！回T退订', 'holiday', rules)).toBe('【熊猫旅游】祝您中秋节愉快！回T退订');
  });
  it('leaves birthday, follow-up and manual SMS alone', () => {
    for (const kind of ['birthday', 'first-order', 'manual'] as const) expect(assembleMarketingSms('生日快乐', kind, rules)).toBe('生日快乐');
  });
});
