import type { ReactNode } from 'react';
import { useSession } from './auth/session';
import { useI18n } from './i18n/i18n';
import { Layout } from './components/layout';
import { Loading } from './components/loading';
import { matchPath, useLocation } from './lib/router';
import { AutomationsPage } from './pages/automations.page';
import { CalendarPage } from './pages/calendar.page';
import { CampaignPage } from './pages/campaign.page';
import { CampaignWizardPage } from './pages/campaign-wizard.page';
import { CampaignsPage } from './pages/campaigns.page';
import { ContactPage } from './pages/contact.page';
import { ContactsPage } from './pages/contacts.page';
import { DashboardPage } from './pages/dashboard.page';
import { InboxPage } from './pages/inbox.page';
import { MessagePage } from './pages/message.page';
import { MessagesPage } from './pages/messages.page';
import { OrderPage } from './pages/order.page';
import { ReportsPage } from './pages/reports.page';
import { SegmentsPage } from './pages/segments.page';
import { SettingsPage } from './pages/settings.page';
import { SignInPage } from './pages/sign-in.page';
import { TemplateEditorPage } from './pages/template-editor.page';
import { TemplatesPage } from './pages/templates.page';
import { CouponBatchPage, CouponsPage } from './pages/coupons.page';

type Route = [pattern: string, render: (params: Record<string, string>, search: URLSearchParams) => ReactNode];

const ROUTES: Route[] = [
  ['/', () => <DashboardPage />],
  ['/contacts', () => <ContactsPage />],
  ['/contacts/:id', (p) => <ContactPage id={p.id} />],
  ['/templates', () => <TemplatesPage />],
  ['/templates/new', () => <TemplateEditorPage />],
  ['/templates/:id', (p) => <TemplateEditorPage id={p.id} />],
  ['/automations', () => <AutomationsPage />],
  ['/calendar', () => <CalendarPage />],
  ['/campaigns', () => <CampaignsPage />],
  ['/campaigns/new', (_, search) => <CampaignWizardPage holidayKey={search.get('holiday')} date={search.get('date')} draftId={search.get('draft')} />],
  ['/campaigns/:id', (p) => <CampaignPage id={p.id} />],
  ['/segments', () => <SegmentsPage />],
  ['/messages', () => <MessagesPage />],
  ['/messages/:id', (p) => <MessagePage id={p.id} />],
  ['/orders/:id', (p) => <OrderPage id={p.id} />],
  ['/inbox', () => <InboxPage />],
  ['/settings', () => <SettingsPage />],
  ['/reports', () => <ReportsPage />],
  ['/coupons', () => <CouponsPage />],
  ['/coupons/:id', (p) => <CouponBatchPage id={p.id} />],
];

export function App() {
  const { t } = useI18n();
  const { me, restoring } = useSession();
  const { path, search } = useLocation();
  if (restoring) return <Loading />;
  if (!me) return <SignInPage />;
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return <Layout path={path}>{render(params, search)}</Layout>;
  }
  return <Layout path={path}><h1>{t('app.notFound')}</h1></Layout>;
}
