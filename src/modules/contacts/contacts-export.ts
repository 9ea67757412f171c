import { PassThrough, Readable } from 'node:stream';
import type { SQL } from 'drizzle-orm';
import { formatBirthday } from './contact-view';
import type { ContactRow, ContactsRepository } from './contacts.repository';
import { EXPORT_COLUMNS, type ImportField } from './import-columns';

/** Contacts read per query while an export streams. */
const BATCH = 1000;

const GENDER_TEXT: Record<string, string> = { male: '男', female: '女', unspecified: '' };

/** One contact's cell for a column, written the way the import reads it back. */
function cellOf(row: ContactRow, field: ImportField): string {
  const lunar = row.birthdayCalendar === 'lunar';
  switch (field) {
    case 'birthday': return lunar ? '' : formatBirthday(row) ?? '';
    case 'lunarBirthday': {
      const birthday = lunar ? formatBirthday(row) : null;
      return birthday ? `${row.birthdayLeapMonth ? '闰' : ''}${birthday}` : '';
    }
    case 'gender': return GENDER_TEXT[row.gender] ?? '';
    case 'tags': return row.tags.join(';');
    case 'consent.sms': return row.consentSms ? '是' : '否';
    case 'consent.email': return row.consentEmail ? '是' : '否';
    case 'attributes': return Object.keys(row.attributes ?? {}).length ? JSON.stringify(row.attributes) : '';
    default: {
      const value = (row as unknown as Record<string, unknown>)[field];
      return value === null || value === undefined ? '' : String(value);
    }
  }
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

type Source = Pick<ContactsRepository, 'matchingBatch'>;

async function* rowsOf(repository: Source, where: SQL): AsyncGenerator<ContactRow[]> {
  let afterId: string | undefined;
  for (;;) {
    const rows = await repository.matchingBatch(where, afterId, BATCH);
    if (!rows.length) return;
    yield rows;
    afterId = rows[rows.length - 1].id;
  }
}

/**
 * The contacts `where` matches as a CSV (UTF-8 with a BOM, so Excel reads it) with the import's
 * Chinese headers: exported files import back as the same contacts. Streamed in batches.
 */
export function exportCsv(repository: Source, where: SQL): Readable {
  return Readable.from((async function* () {
    yield Buffer.from(`\uFEFF${EXPORT_COLUMNS.map((c) => c.header).join(',')}\r\n`, 'utf8');
    for await (const rows of rowsOf(repository, where)) {
      yield Buffer.from(rows.map((row) => `${EXPORT_COLUMNS.map((c) => csvCell(cellOf(row, c.field))).join(',')}\r\n`).join(''), 'utf8');
    }
  })());
}

/** The same as an XLSX workbook, written by exceljs's streaming writer (rows are committed as they go). */
export function exportXlsx(repository: Source, where: SQL): Readable {
  const out = new PassThrough();
  void (async () => {
    // Loaded on the first XLSX export, not with the service (see import-xlsx.ts).
    const { default: excel } = await import('exceljs');
    const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('联系人');
    // Every cell is text: a phone stays +86…, a date stays as written.
    sheet.addRow(EXPORT_COLUMNS.map((c) => c.header)).commit();
    for await (const rows of rowsOf(repository, where)) {
      for (const row of rows) sheet.addRow(EXPORT_COLUMNS.map((c) => cellOf(row, c.field))).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: Error) => out.destroy(error));
  return out;
}
