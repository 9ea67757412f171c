/**
 * The sample file the console offers for download: the Chinese headers the import recognises and
 * a few rows showing the forms it reads (dates, 农历, 男/女, tags). UTF-8 with a BOM, so Excel on
 * Windows opens it as UTF-8 instead of guessing GBK.
 */
const ROWS = [
  ['姓名', '手机号', '邮箱', '性别', '生日', '农历生日', '标签', '会员等级', '外部编号', '城市'],
  ['王小明', '13800138000', 'xiaoming@example.com', '男', '1990/3/2', '', 'VIP；老客户', '金卡', 'M0001', '杭州'],
  ['李娜', '13900139000', '', '女', '', '农历八月十五', '亲子游', '银卡', 'M0002', '上海'],
  ['张伟', '+85291234567', 'zhangwei@example.com', '', '1985年11月23日', '', '', '', 'M0003', '香港'],
];

const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export const SAMPLE_CSV_NAME = 'carebeat-contacts-sample.csv';
export const sampleCsv = (): Buffer => Buffer.from(`\uFEFF${ROWS.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8');
