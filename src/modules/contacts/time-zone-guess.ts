import Holidays from 'date-holidays';

const zonesByCountry = new Map<string, string[]>();

/** IANA zones of a country, as date-holidays knows them (cached: building a Holidays object is not free). */
function zonesOf(country: string): string[] {
  let zones = zonesByCountry.get(country);
  if (!zones) {
    try {
      zones = new Holidays(country).getTimezones() ?? [];
    } catch {
      zones = [];
    }
    zonesByCountry.set(country, zones);
  }
  return zones;
}

/**
 * The zone of a phone's country when that country has exactly one (JP → Asia/Tokyo); a country
 * spanning several zones (US, RU, even CN with Urumqi) tells us nothing reliable, so the default wins.
 */
export function guessTimeZone(phoneCountry: string | undefined, fallback: string): string {
  if (!phoneCountry) return fallback;
  const zones = zonesOf(phoneCountry);
  return zones.length === 1 ? zones[0] : fallback;
}
