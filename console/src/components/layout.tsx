import type { ReactNode } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';
import { Link } from '../lib/router';
import { BrandMissingBanner } from './brand-missing.banner';

const NAV: Array<{ to: string; label: DictionaryKey }> = [
  { to: '/', label: 'nav.dashboard' },
  { to: '/contacts', label: 'nav.contacts' },
  { to: '/templates', label: 'nav.templates' },
  { to: '/automations', label: 'nav.automations' },
  { to: '/calendar', label: 'nav.calendar' },
  { to: '/campaigns', label: 'nav.campaigns' },
  { to: '/segments', label: 'nav.segments' },
  { to: '/coupons', label: 'nav.coupons' },
  { to: '/messages', label: 'nav.messages' },
  { to: '/inbox', label: 'nav.inbox' },
  { to: '/settings', label: 'nav.settings' },
  { to: '/reports', label: 'nav.reports' },
];

function isActive(to: string, path: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(to + '/');
}

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { me, signOut } = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav className="nav">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className={isActive(item.to, path) ? 'active' : undefined}>{t(item.label)}</Link>
          ))}
        </nav>
        <div className="who">
          {me && <span className="muted" data-testid="whoami">{me.name} · {t(`role.${me.role}`)}</span>}
          <button className="link" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>{t('app.language')}</button>
          <button className="link" onClick={signOut}>{t('app.signOut')}</button>
        </div>
      </header>
      <main className="content"><BrandMissingBanner />{children}</main>
    </div>
  );
}
