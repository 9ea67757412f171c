import { ValidationError } from '../../shared/errors';
import { readBoolean, readGender, readGregorianDate, readLunarDate, readTags, saysLunar } from './import-values';

/**
 * The columns of a spreadsheet import: which contact field each header feeds. Headers shops use
 * (姓名, 手机号, 生日 …) are recognised; `?mapping=` overrides any of them; other columns are
 * ignored (and named in the answer) unless the mapping or `keepUnknown` keeps them as attributes.
 */

/** What a column can feed: a contact field, `attributes.<name>`, or nothing (null). */
export const IMPORT_FIELDS = [
  'externalId', 'name', 'phone', 'email', 'gender', 'birthday', 'lunarBirthday', 'birthdayCalendar', 'birthdayLeapMonth',
  'tags', 'tier', 'locale', 'timeZone', 'consent.sms', 'consent.email', 'attributes', 'referredBy',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | `attributes.${string}`;
export type ColumnMapping = Record<string, ImportField | null>;

/** Header spellings recognised without a mapping (compared lower-cased, without spaces or a trailing note in brackets). */
const KNOWN_HEADERS: Record<string, ImportField> = {};
const recognise = (field: ImportField, ...headers: string[]) => headers.forEach((h) => (KNOWN_HEADERS[h.toLowerCase()] = field));
recognise('name', 'name', '姓名', '名字', '客户姓名', '客户名称', '称呼', 'fullname');
recognise('phone', 'phone', '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', 'mobile', 'tel');
recognise('email', 'email', '邮箱', '电子邮箱', '电子邮件', '邮件', 'e-mail', '邮箱地址');
recognise('birthday', 'birthday', '生日', '出生日期', '公历生日', '阳历生日', 'birthdate', 'dateofbirth');
recognise('lunarBirthday', 'lunarbirthday', '农历生日', '阴历生日');
recognise('birthdayCalendar', 'birthdaycalendar', '生日历法');
recognise('birthdayLeapMonth', 'birthdayleapmonth', '闰月');
recognise('gender', 'gender', '性别', 'sex');
recognise('tags', 'tags', 'tag', '标签');
recognise('tier', 'tier', '会员等级', '等级', '会员级别', 'level');
recognise('externalId', 'externalid', '外部编号', '会员编号', '客户编号', '编号', 'id');
recognise('locale', 'locale', '语言');
recognise('timeZone', 'timezone', '时区');
recognise('consent.sms', 'consent.sms', 'consentsms', '短信同意', '接收短信');
recognise('consent.email', 'consent.email', 'consentemail', '邮件同意', '接收邮件');
recognise('attributes', 'attributes', '属性');
// 滚雪球: the referrer's referral code (or contact id), checked by the importer before the row is written.
recognise('referredBy', 'referredby', '推荐人', '推荐码', '推荐人推荐码', '介绍人');

const keyOf = (header: string) => header.replace(/[（(][^）)]*[）)]$/, '').replace(/\s+/g, '').toLowerCase();

/** The field a header feeds by itself, if any. */
export function recogniseHeader(header: string): ImportField | undefined {
  if (header.startsWith('attributes.') && header.length > 'attributes.'.length) return header as ImportField;
  return KNOWN_HEADERS[keyOf(header)];
}

const isField = (value: string): value is ImportField =>
  (IMPORT_FIELDS as readonly string[]).includes(value) || (value.startsWith('attributes.') && value.length > 'attributes.'.length);

/** `?mapping=` as given: a JSON object of header → field (or null / "" to skip the column). 400 naming `mapping` otherwise. */
export function parseMappingParam(raw: string | undefined): ColumnMapping {
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ValidationError.field('mapping', 'not JSON: expected {"header": "field"}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw ValidationError.field('mapping', 'expected {"header": "field"}');
  const mapping: ColumnMapping = {};
  for (const [header, field] of Object.entries(parsed)) {
    if (field === null || field === '') mapping[header.trim()] = null;
    else if (typeof field === 'string' && isField(field)) mapping[header.trim()] = field;
    else throw ValidationError.field(`mapping.${header}`, `unknown field ${JSON.stringify(field)}; one of ${IMPORT_FIELDS.join(', ')}, attributes.<name> or null`);
  }
  return mapping;
}

export interface ColumnPlan {
  /** Field per column, in the file's order (null: not imported). */
  fields: (ImportField | null)[];
  /** The mapping in force, header → field (what the console's mapping step shows). */
  mapping: ColumnMapping;
  /** Columns not imported because nothing recognised them (not those the mapping skips). */
  ignored: string[];
}

/** Decides each column's field: the mapping first, then the recognised headers, then attributes (keepUnknown) or nothing. */
export function planColumns(headers: string[], override: ColumnMapping, keepUnknown: boolean): ColumnPlan {
  const mapping: ColumnMapping = {};
  const ignored: string[] = [];
  const fields = headers.map((header) => {
    if (!header) return null;
    let field: ImportField | null | undefined = header in override ? override[header] : recogniseHeader(header);
    if (field === undefined) {
      if (keepUnknown) field = `attributes.${header}`;
      else ignored.push(header);
    }
    mapping[header] = field ?? null;
    return field ?? null;
  });
  return { fields, mapping, ignored };
}

/**
 * One row's cells (strings, in column order) as a contact record in the API's shape: empty cells
 * are absent, values read as shops write them (dates, 农历, 男/女, tags, 是/否). Runs once per row.
 */
export function cellsToContact(cells: string[], fields: (ImportField | null)[]): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  let consent: Record<string, unknown> | undefined;
  let attributes: Record<string, unknown> | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value = cells[i]?.trim();
    if (!field || value === undefined || value === '') continue;
    switch (field) {
      case 'consent.sms': (consent ??= {}).sms = readBoolean(value); break;
      case 'consent.email': (consent ??= {}).email = readBoolean(value); break;
      case 'tags': contact.tags = readTags(value); break;
      case 'gender': contact.gender = readGender(value); break;
      case 'birthdayLeapMonth': contact.birthdayLeapMonth = readBoolean(value); break;
      case 'attributes': contact.attributes = parseJson(value) ?? value; break;
      case 'birthday': readBirthday(contact, value, saysLunar(value)); break;
      case 'lunarBirthday': readBirthday(contact, value, true); break;
      default:
        if (field.startsWith('attributes.')) (attributes ??= {})[field.slice('attributes.'.length)] = value;
        else contact[field] = value;
    }
  }
  if (consent) contact.consent = consent;
  if (attributes) contact.attributes = { ...(typeof contact.attributes === 'object' ? contact.attributes : {}), ...attributes };
  return contact;
}

/** A birthday cell: Gregorian forms, or a lunar one (its column or its 农历 prefix says so). */
function readBirthday(contact: Record<string, unknown>, value: string, lunar: boolean): void {
  if (lunar) {
    const read = readLunarDate(value);
    contact.birthday = read?.birthday ?? value;
    contact.birthdayCalendar = 'lunar';
    if (read?.leapMonth) contact.birthdayLeapMonth = true;
    return;
  }
  contact.birthday = readGregorianDate(value) ?? value;
}

function parseJson(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Column names of an export, in order: the Chinese headers the import recognises, so an exported
 * file imports back as the same contacts.
 */
export const EXPORT_COLUMNS: { header: string; field: ImportField }[] = [
  { header: '外部编号', field: 'externalId' },
  { header: '姓名', field: 'name' },
  { header: '手机号', field: 'phone' },
  { header: '邮箱', field: 'email' },
  { header: '性别', field: 'gender' },
  { header: '生日', field: 'birthday' },
  { header: '农历生日', field: 'lunarBirthday' },
  { header: '标签', field: 'tags' },
  { header: '会员等级', field: 'tier' },
  { header: '语言', field: 'locale' },
  { header: '时区', field: 'timeZone' },
  { header: '短信同意', field: 'consent.sms' },
  { header: '邮件同意', field: 'consent.email' },
  { header: '属性', field: 'attributes' },
];
