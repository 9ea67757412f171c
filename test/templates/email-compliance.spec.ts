import { withUnsubscribeLink } from '../../src/modules/templates/render/email-compliance';

describe('withUnsubscribeLink (marketing e-mail shows a way out)', () => {
  const url = 'https://care.example.com/unsubscribe/abc_DEF-123.tag';
  const html = '<html><body><p>全场八折</p></body></html>';

  it('adds a footer link before </body> and a last text line when the template shows none', () => {
    const out = withUnsubscribeLink({ subject: 's', text: '全场八折\n', html }, 'promo', url, 'zh-CN');
    expect(out.html).toBe(`<html><body><p>全场八折</p><p style="font-size: 12px; color: #999999;"><a href="${url}" style="color: #999999;">退订邮件</a></p>\n</body></html>`);
    expect(out.text).toBe(`全场八折\n\n退订邮件：${url}\n`);
    expect(withUnsubscribeLink({ subject: 's', text: 'Sale' }, 'holiday', url, 'en')).toEqual({ subject: 's', text: `Sale\n\nUnsubscribe: ${url}\n` });
  });

  it('appends to HTML without a body element', () => {
    expect(withUnsubscribeLink({ subject: 's', text: url, html: '<p>x</p>' }, 'promo', url, 'en').html).toMatch(/^<p>x<\/p>\n<p [^>]+><a href="[^"]+" [^>]+>Unsubscribe<\/a><\/p>$/);
  });

  it('leaves a template that shows the link, other kinds, and mail without a link as written', () => {
    const shown = { subject: 's', text: `退订 ${url}`, html: `<a href="${url}">退订</a>` };
    expect(withUnsubscribeLink(shown, 'promo', url, 'zh-CN')).toEqual(shown);
    const plain = { subject: 's', text: 'hi', html };
    expect(withUnsubscribeLink(plain, 'birthday', url, 'zh-CN')).toEqual(plain);
    expect(withUnsubscribeLink(plain, 'promo', undefined, 'zh-CN')).toEqual(plain);
  });
});
