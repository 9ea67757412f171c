import type { Config } from '../../config';
import { normaliseSignature } from './render/sms-compliance';

/** The `brand.*` template variables. */
export interface BrandVariables {
  name: string;
  phone: string;
  /** The SMS signature with its brackets, e.g. `【熊猫旅游】`; empty when none is configured. */
  signature: string;
}

export type BrandConfig = Pick<Config, 'BRAND_NAME' | 'BRAND_PHONE' | 'SMS_SIGNATURE'>;

const BRACKETS = /^[【[](.*)[】\]]$/;

/**
 * The brand every message renders with, previews included: the one place these values are made,
 * so what ops preview is what recipients get. A signature is the brand's name as carriers approved
 * it, so with only `SMS_SIGNATURE` set the name is taken from it: otherwise every greeting that
 * says `{{brand.name}}` would go out with the company name missing.
 */
export function brandOf(config: BrandConfig): BrandVariables {
  const signature = normaliseSignature(config.SMS_SIGNATURE);
  const name = config.BRAND_NAME.trim() || (BRACKETS.exec(signature)?.[1].trim() ?? '');
  return { name, phone: config.BRAND_PHONE.trim(), signature };
}
