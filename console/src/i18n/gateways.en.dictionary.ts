import type { gatewaysZhCN } from './gateways.zh-cn.dictionary';

/** The Chinese SMS gateways' template words in English. */
export const gatewaysEn: Record<keyof typeof gatewaysZhCN, string> = {
  'gateways.title': 'SMS gateway template (Aliyun / Tencent Cloud)',
  'gateways.templateCode': 'Template code',
  'gateways.params': 'Template params (one per line: name={{variable}})',
  'gateways.note': 'Aliyun and Tencent Cloud send only approved templates. SMS_000000 on the default templates is a placeholder: replace it with the code your gateway approved; Tencent params are named 1, 2, 3… in order. The body is still recorded in the message log.',
  'gateways.placeholder': 'Placeholder: replace it with an approved template code',
  'gateways.badParam': 'A param line reads name={{variable}}',
};
