import { checkTemplate, renderTemplate } from '../../src/modules/templates/render/handlebars-engine';
import { checkEmailHtml, renderEmail } from '../../src/modules/templates/render/email-renderer';
import type { RenderSettings } from '../../src/modules/templates/render/helpers';
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
const text = (source: string, variables: object = vars(), settings: RenderSettings = zh) => renderTemplate(source, 'body', variables, settings, false);
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
    expect(problemOf('{{voucher}}').message).toContain('voucher');
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

const rejection = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a rejection');
};
const tagged = (count: number) => vars({ tags: Array.from({ length: count }, (_, i) => `tag${i}`) });
const elapsed = (run: () => unknown): number => {
  const started = Date.now();
  run();
  return Date.now() - started;
};

describe('template shape limits at save', () => {
  const nestedEach = (levels: number) => '{{#each contact.tags}}'.repeat(levels) + 'x' + '{{/each}}'.repeat(levels);

  it('refuses three or more nested #each with template_too_complex, and accepts two', () => {
    for (const levels of [3, 4, 6]) {
      const error = problemOf(nestedEach(levels));
      expect(error).toMatchObject({ kind: 'unprocessable', code: 'template_too_complex' });
      expect(error.details).toEqual([{ field: 'body', message: '#each loops nested more than 2 deep' }]);
    }
    expect(() => checkTemplate(nestedEach(2), 'body')).not.toThrow();
  });

  it('bounds the depth of blocks, else-if chains and helper calls', () => {
    const ifs = (n: number) => '{{#if contact.name}}'.repeat(n) + 'x' + '{{/if}}'.repeat(n);
    expect(() => checkTemplate(ifs(6), 'body')).not.toThrow();
    expect(problemOf(ifs(7)).message).toContain('blocks nested more than 6 deep');
    const chain = (n: number) => '{{#if contact.name}}a' + '{{else if contact.tier}}b'.repeat(n) + '{{/if}}';
    expect(() => checkTemplate(chain(20), 'body')).not.toThrow();
    expect(problemOf(chain(21)).code).toBe('template_too_complex');
    expect(problemOf('{{upper (upper (upper (upper (upper (upper contact.name)))))}}').message).toContain('nested deeper than 4');
    expect(problemOf('{{default a a a a a a a a a}}'.replace(/ a/g, ' contact.name')).message).toContain('more than 8 arguments');
  });

  it('refuses sources too costly to parse before parsing them, at once', () => {
    // Handlebars alone takes minutes to parse 10,000 nested blocks.
    const deep = '{{#if contact.name}}'.repeat(10_000) + 'x' + '{{/if}}'.repeat(10_000);
    let error: DomainError | undefined;
    expect(elapsed(() => (error = problemOf(deep)))).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'template_too_complex', details: [{ field: 'body', message: 'blocks nested more than 16 deep' }] });
    expect(problemOf('{{contact.name}}'.repeat(501)).message).toContain('more than 500 {{…}} expressions');
    expect(problemOf(`{{default contact.name "${'x'.repeat(1001)}"}}`).message).toContain('longer than 1000 characters');
    expect(problemOf('{{upper ' + '(upper '.repeat(3000) + 'contact.name' + ')'.repeat(3000) + '}}').code).toBe('template_too_complex');
    expect(problemOf('{{#if contact.name}}' + '{{else if contact.name}}'.repeat(30_000) + '{{/if}}').code).toBe('template_too_complex');
  });

  it('refuses formatDate patterns date-fns rejects, and patterns taken from data', () => {
    const cases: [string, string][] = [
      ['{{formatDate holiday.date "YYYY"}}', 'formatDate pattern "YYYY" is not valid: use `yyyy` instead of `YYYY`'],
      ['{{formatDate holiday.date "DD/MM"}}', 'formatDate pattern "DD/MM" is not valid: use `dd` instead of `DD`'],
      ['{{formatDate holiday.date "j"}}', 'formatDate pattern "j" is not valid: Format string contains an unescaped latin alphabet character `j`'],
      ['{{formatDate holiday.date holiday.name}}', 'the formatDate pattern must be a quoted literal such as "M/d", not a variable'],
      ['{{formatDate holiday.date (upper "yyyy")}}', 'the formatDate pattern must be a quoted literal such as "M/d", not a variable'],
      ['{{formatDate holiday.date "yyyy" "x"}}', 'formatDate takes 1 to 2 arguments'],
      ['{{#if (formatDate holiday.date "Y j")}}x{{/if}}', 'formatDate pattern "Y j" is not valid: Format string contains an unescaped latin alphabet character `j`'],
    ];
    for (const [source, message] of cases) {
      expect(problemOf(source)).toMatchObject({ kind: 'unprocessable', code: 'invalid_helper_argument', details: [{ field: 'body', message }] });
    }
    for (const ok of ['{{formatDate holiday.date "yyyy-MM-dd \'at\' HH:mm"}}', '{{formatDate holiday.date "EEEE"}}', '{{formatDate holiday.date ""}}', '{{formatDate order.placedAt}}']) {
      expect(() => checkTemplate(ok, 'body')).not.toThrow();
    }
  });

  it('refuses triple-stash of contact data in HTML, naming html, but allows our own variables', () => {
    for (const source of ['<p>{{{contact.name}}}</p>', '<a href="{{{contact.attributes.site}}}">x</a>', '{{{upper brand.name}}}', '{{#with contact}}{{{name}}}{{/with}}', '{{& contact.name}}']) {
      const error = rejection(() => checkTemplate(source, 'html')) as DomainError;
      expect(error).toMatchObject({ code: 'unsafe_html', details: [{ field: 'html' }] });
      expect(error.details[0].message).toContain('writes unescaped HTML');
    }
    expect(() => checkTemplate('<a href="{{{unsubscribeUrl}}}">u</a> {{{brand.name}}} {{{@root.brand.phone}}}', 'html')).not.toThrow();
    // Plain text is never escaped: a triple-stash there is harmless.
    expect(() => checkTemplate('{{{contact.name}}}', 'body')).not.toThrow();
  });
});

describe('render budget', () => {
  const twoLoops = '{{#each contact.tags}}{{#each @root.contact.tags}}{{this}}{{/each}}{{/each}}';

  it('stops a loop past the iteration budget with template_budget_exceeded naming the part, quickly', () => {
    let error: DomainError | undefined;
    // 150 tags looped twice are 22,650 passes; the default budget is 10,000.
    expect(elapsed(() => (error = rejection(() => text(twoLoops, tagged(150)))))).toBeLessThan(1000);
    expect(error).toMatchObject({
      kind: 'unprocessable', code: 'template_budget_exceeded',
      details: [{ field: 'body', message: 'the template loops more than 10000 times' }],
    });
    expect(text(twoLoops, tagged(3))).toBe('tag0tag1tag2'.repeat(3));
  });

  it('takes its limits from the render settings', () => {
    const limits = { maxIterations: 5, maxSteps: 1000, maxOutputChars: 1000 };
    expect(text('{{#each contact.tags}}{{this}}{{/each}}', tagged(5), { ...en, limits })).toBe('tag0tag1tag2tag3tag4');
    expect(rejection(() => text('{{#each contact.tags}}{{this}}{{/each}}', tagged(6), { ...en, limits })).details[0].message)
      .toBe('the template loops more than 5 times');
    const steps = '{{#each contact.tags}}' + '{{#if this}}{{/if}}'.repeat(20) + '{{/each}}';
    expect(rejection(() => text(steps, tagged(100), { ...en, limits: { ...limits, maxIterations: 1000 } })).details[0].message)
      .toBe('the template does more than 1000 render steps');
  });

  it('bounds the output: repeated long values, and long static text in a loop', () => {
    const big = vars({ attributes: { note: 'x'.repeat(200_000) } });
    expect(rejection(() => text('{{contact.attributes.note}}'.repeat(3), big)).details[0].message)
      .toBe('the rendered text is longer than 250000 characters');
    expect(rejection(() => text('{{#each contact.tags}}' + 'y'.repeat(90_000) + '{{/each}}', tagged(10))).code).toBe('template_budget_exceeded');
    // Escaping counts: 120,000 "<" are 480,000 characters as &lt; in HTML, over a 400,000 bound.
    const limits = { maxIterations: 10, maxSteps: 100, maxOutputChars: 400_000 };
    const angled = vars({ name: '<'.repeat(120_000) });
    expect(renderTemplate('{{contact.name}}', 'body', angled, { ...en, limits }, false)).toHaveLength(120_000);
    expect(rejection(() => renderTemplate('{{contact.name}}', 'html', angled, { ...en, limits }, true)).code).toBe('template_budget_exceeded');
  });

  it('charges helpers for the characters they work through, even when nothing is written', () => {
    const big = vars({ tags: Array.from({ length: 200 }, (_, i) => `t${i}`), attributes: { note: 'x'.repeat(1_000_000) } });
    let error: DomainError | undefined;
    // 200 upper-casings of 1 MB that print nothing: ~1,000 steps each, over the 100,000 budget halfway.
    expect(elapsed(() => (error = rejection(() => text('{{#each contact.tags}}{{#if (upper @root.contact.attributes.note)}}{{/if}}{{/each}}', big))))).toBeLessThan(3000);
    expect(error).toMatchObject({ code: 'template_budget_exceeded', details: [{ message: 'the template does more than 100000 render steps' }] });
    // A "date" a megabyte long is no date: formatDate writes nothing rather than parse it.
    expect(text('[{{formatDate contact.attributes.note}}]', big)).toBe('[]');
  });

  it('keeps what #each, #with and whitespace control render', () => {
    const v = vars({ tags: ['a', 'b', 'c'], attributes: { city: '杭州', zip: '310000' } });
    expect(text('{{#each contact.tags}}{{@index}}{{this}}{{#if @first}}^{{/if}}{{#if @last}}${{/if}},{{/each}}', v)).toBe('0a^,1b,2c$,');
    expect(text('{{#each contact.tags as |tag i|}}{{i}}={{tag}} {{/each}}', v)).toBe('0=a 1=b 2=c ');
    expect(text('{{#each contact.attributes}}{{@key}}:{{this}};{{/each}}', v)).toBe('city:杭州;zip:310000;');
    expect(text('{{#each contact.tags}}x{{else}}none{{/each}}', vars({ tags: [] }))).toBe('none');
    expect(text('{{#with contact}}{{name}}/{{../brand.name}}{{/with}}', v)).toBe('王丽/熊猫旅游');
    expect(text('{{#unless contact.tier}}no tier{{/unless}}', v)).toBe('no tier');
    expect(text('a\n{{#if contact.name}}\n  b {{~contact.name~}} c\n{{/if}}\nd', v)).toBe('a\n  b王丽c\nd');
    expect(text('{{contact.tags}}|{{salutation}}|{{default contact.tier "none"}}', v)).toBe('a,b,c|女士|none');
  });

  it('turns a helper error at render (a pattern that slipped past the save checks) into a 422 on the part', () => {
    const v = vars({}, { holiday: { date: '2027-09-15', name: 'YYYY' } });
    // Only a template saved before the checks can still do this; the render must not throw a RangeError.
    const error = rejection(() => renderTemplate('{{formatDate holiday.date "yyyy"}}{{upper contact.name}}', 'body', v, { locale: 'en-a1', timeZone: 'UTC' }, false));
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'template_render_failed', details: [{ field: 'body' }] });
  });
});

describe('e-mail HTML safety', () => {
  const hostile = vars({ name: 'javascript:alert(1)', attributes: { site: 'javascript:alert(1)', img: 'javascript:alert(2)', home: 'https://example.com/a?b=1&c=2' } });
  const mail = (html: string) => renderEmail({ subject: 's', body: '', html }, hostile, en);
  const urls = (html: string) => [...html.matchAll(/\b(?:href|src|action|background)="([^"]*)"/g)].map((m) => m[1]);

  it('never lets a javascript: URL from data reach the rendered e-mail', () => {
    const out = mail([
      '<p>Dear {{contact.name}}</p>',
      '<a href="{{contact.attributes.site}}">site</a>',
      '<a href=" JaVa&#x09;ScRiPt:{{contact.name}}">entity-spelled</a>',
      '<a href="java{{contact.attributes.site}}">split</a>',
      '<img src="{{contact.attributes.img}}" onerror="alert(3)">',
      '<form action="{{contact.attributes.site}}"></form>',
      '<a href="{{contact.attributes.home}}">home</a> <a href="mailto:care@example.com">m</a> <a href="tel:+8613800138000">t</a> <a href="#top">top</a>',
    ].join('\n'));
    // site, entity-spelled, split, (img lost its src), form, then the safe ones as written.
    expect(urls(out.html!)).toEqual(['#', '#', '#', '#', 'https://example.com/a?b=1&amp;c=2', 'mailto:care@example.com', 'tel:+8613800138000', '#top']);
    expect(out.html).toContain('<img>');
    expect(out.html).not.toMatch(/(href|src|action)="\s*javascript:/i);
    expect(out.html).not.toContain('onerror');
    // The contact's name is text, not a link, and stays readable.
    expect(out.html).toContain('<p>Dear javascript:alert(1)</p>');
    expect(out.text).not.toMatch(/\[javascript:/i);
  });

  it('removes scripts and refresh redirects the template itself carries, and keeps inline images', () => {
    const out = mail('<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head><body><script>alert(1)</script><img src="cid:logo"><img src="data:image/png;base64,AAAA"><div style="background:url(javascript:alert(1))">x</div></body></html>');
    expect(out.html).not.toMatch(/script|refresh/i);
    expect(out.html).toContain('<img src="cid:logo">');
    expect(out.html).toContain('<img src="data:image/png;base64,AAAA">');
    expect(out.html).toContain('<div>x</div>');
  });

  it('refuses CSS it could not inline in time, at save and at render', () => {
    const rules = Array.from({ length: 1100 }, (_, i) => `.c${i} { color: red; }`).join('\n');
    const heavy = `<style>${rules}</style>` + '<p>x</p>'.repeat(1000);
    expect(rejection(() => checkEmailHtml(heavy))).toMatchObject({ code: 'template_too_complex', details: [{ field: 'html' }] });
    expect(() => checkEmailHtml(`<style>${rules}</style><p>x</p>`)).not.toThrow();
    // A loop can multiply the elements after the save check.
    const looped = `<style>${rules}</style>{{#each contact.tags}}<p>{{this}}</p>{{/each}}`;
    let error: DomainError | undefined;
    expect(elapsed(() => (error = rejection(() => renderEmail({ subject: 's', body: '', html: looped }, tagged(1000), en))))).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'template_budget_exceeded', details: [{ field: 'html' }] });
  });
});

describe('SMS counting of long texts', () => {
  it('counts a 100,000-character text arithmetically, without the quadratic library', () => {
    let stats: ReturnType<typeof smsStats> | undefined;
    expect(elapsed(() => (stats = smsStats('中'.repeat(100_000))))).toBeLessThan(2000);
    expect(stats).toEqual({ encoding: 'UCS-2', segments: 1493, characters: 100_000 });
    expect(smsStats('a'.repeat(100_000))).toEqual({ encoding: 'GSM-7', segments: 654, characters: 100_000 });
    expect(smsStats('{'.repeat(2000))).toEqual({ encoding: 'GSM-7', segments: 27, characters: 2000 });
  });
});
