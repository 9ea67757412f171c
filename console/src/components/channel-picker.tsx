import type { Channel } from '../api/types';
import { useI18n } from '../i18n/i18n';

/** One checkbox per channel (automations and the campaign wizard). */
export function ChannelPicker({ value, onChange, disabled }: { value: Channel[]; onChange(next: Channel[]): void; disabled: boolean }) {
  const { term } = useI18n();
  return (
    <span className="checks">
      {(['sms', 'email'] as const).map((channel) => (
        <label key={channel} className="inline">
          <input type="checkbox" name={`channel-${channel}`} disabled={disabled} checked={value.includes(channel)}
            onChange={(e) => onChange(e.target.checked ? [...value, channel] : value.filter((c) => c !== channel))} />
          {term('channel', channel)}
        </label>
      ))}
    </span>
  );
}
