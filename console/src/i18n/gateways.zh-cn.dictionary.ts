/** 国内短信通道（阿里云、腾讯云）模板代码的用语。 */
export const gatewaysZhCN = {
  'gateways.title': '短信通道模板（阿里云 / 腾讯云）',
  'gateways.templateCode': '模板代码',
  'gateways.params': '模板参数（每行一个：参数名={{变量}}）',
  'gateways.note': '阿里云、腾讯云只发送审核通过的模板。默认模板的 SMS_000000 是占位代码，请替换为通道审核通过的模板代码；腾讯云参数按顺序命名为 1、2、3…。正文仍会记录在消息日志里。',
  'gateways.placeholder': '占位代码：请替换为审核通过的模板代码',
  'gateways.badParam': '参数行格式应为 参数名={{变量}}',
};
