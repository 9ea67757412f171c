import { useApiQuery } from '../api/queries';
import type { ShopSettings } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';

/** On every page until a brand is set: greetings would otherwise go out without the shop's name. */
export function BrandMissingBanner() {
  const { t } = useI18n();
  const settings = useApiQuery<ShopSettings>('/v1/settings');
  if (!settings.data?.brandMissing) return null;
  return (
    <div className="banner banner-warning" data-testid="brand-missing">
      {t('settings.brandMissing')} <Link to="/settings">{t('settings.brandMissingLink')}</Link>
    </div>
  );
}
