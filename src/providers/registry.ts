import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import { ConsoleEmailProvider } from './email/console.provider';
import { SmtpEmailProvider } from './email/smtp.provider';
import { ConsoleSmsProvider } from './sms/console.provider';
import { TwilioSmsProvider } from './sms/twilio.provider';
import type { AliyunSmsProvider } from './sms/aliyun.provider';
import type { TencentSmsProvider } from './sms/tencent.provider';
import type { EmailProvider, Providers, SmsProvider } from './types';

/**
 * Picks one provider per channel from `SMS_PROVIDER` / `EMAIL_PROVIDER`. A provider validates
 * its own settings when built, so a missing credential stops the process at boot with a
 * `ConfigError` naming the variable. Adding a provider = one class + one `case` here.
 */
export function createProviders(config: Config, logger: Logger): Providers {
  const sms = createSmsProvider(config, logger.child({ provider: config.SMS_PROVIDER, channel: 'sms' }));
  const email = createEmailProvider(config, logger.child({ provider: config.EMAIL_PROVIDER, channel: 'email' }));
  return {
    sms,
    email,
    async close() {
      await Promise.all([sms.close?.(), email.close?.()]);
    },
  };
}

function createSmsProvider(config: Config, logger: Logger): SmsProvider {
  switch (config.SMS_PROVIDER) {
    case 'console':
      return new ConsoleSmsProvider({ logger });
    case 'twilio':
      return new TwilioSmsProvider({
        accountSid: config.TWILIO_ACCOUNT_SID ?? '',
        authToken: config.TWILIO_AUTH_TOKEN ?? '',
        from: config.TWILIO_FROM,
        messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
        baseUrl: config.TWILIO_BASE_URL,
        timeoutMs: config.TWILIO_TIMEOUT_MS,
        logger,
      });
    // The gateways' SDKs (a third of a second to load) are required only by the process that uses them.
    case 'aliyun': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AliyunSmsProvider: Aliyun } = require('./sms/aliyun.provider') as { AliyunSmsProvider: typeof AliyunSmsProvider };
      return new Aliyun({
        accessKeyId: config.ALIYUN_ACCESS_KEY_ID ?? '',
        accessKeySecret: config.ALIYUN_ACCESS_KEY_SECRET ?? '',
        signName: config.ALIYUN_SMS_SIGN_NAME ?? '',
        endpoint: config.ALIYUN_SMS_ENDPOINT,
        timeoutMs: config.GATEWAY_TIMEOUT_MS,
        logger,
      });
    }
    case 'tencent': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TencentSmsProvider: Tencent } = require('./sms/tencent.provider') as { TencentSmsProvider: typeof TencentSmsProvider };
      return new Tencent({
        secretId: config.TENCENT_SECRET_ID ?? '',
        secretKey: config.TENCENT_SECRET_KEY ?? '',
        sdkAppId: config.TENCENT_SMS_SDK_APP_ID ?? '',
        signName: config.TENCENT_SMS_SIGN_NAME ?? '',
        region: config.TENCENT_SMS_REGION,
        endpoint: config.TENCENT_SMS_ENDPOINT,
        timeoutMs: config.GATEWAY_TIMEOUT_MS,
        logger,
      });
    }
  }
}

function createEmailProvider(config: Config, logger: Logger): EmailProvider {
  switch (config.EMAIL_PROVIDER) {
    case 'console':
      return new ConsoleEmailProvider({ logger });
    case 'smtp':
      return new SmtpEmailProvider({
        url: config.SMTP_URL ?? '',
        from: config.MAIL_FROM ?? '',
        timeoutMs: config.SMTP_TIMEOUT_MS,
        logger,
      });
  }
}
