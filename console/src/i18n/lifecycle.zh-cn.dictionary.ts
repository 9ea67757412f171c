/** The lifecycle classes and journeys in Chinese (the playbook's words: 新客, 活跃老客, 高/低挽回). */
export const lifecycleZhCN = {
  'lifecycle.prospect': '未下单',
  'lifecycle.new': '新客',
  'lifecycle.active': '活跃老客',
  'lifecycle.cooling': '降温',
  'lifecycle.lapsing': '沉睡（高挽回）',
  'lifecycle.lost': '流失（低挽回）',
  'lifecycle.gone': '已远去',
  // Saved segments from before the split still say `none`.
  'lifecycle.none': '未下单/降温/已远去',
  'journeys.title': '生命周期旅程',
  'journeys.hint': '客户进入某一阶段满若干天后，在其当地时间发送一条消息；再次下单后重新计算。',
  'journeys.counts': '各阶段人数',
  'journeys.class': '阶段',
  'journeys.afterDays': '进入后天数',
  'journeys.rule.second-purchase': '促进二次成交',
  'journeys.rule.care': '关怀问候',
  'journeys.rule.winback': '挽回大促',
};
