import type { TFunction } from "i18next";
import type { Analytics, AnalyticsTable } from "../../../client/routes/analytics-tables.ts";
import type { Locale } from "../../i18n.ts";

/**
 * Spreadsheets split a CSV line on the list separator of the reader's regional settings: a
 * comma in English, a semicolon where the comma is the decimal mark (French, Spanish,
 * Portuguese) and in Arabic settings. A `sep=` line would say so too, but Excel then ignores
 * the byte order mark and garbles accents and Arabic.
 */
export function csvSeparator(locale: Locale): "," | ";" {
  return locale === "en" ? "," : ";";
}

/** Excel reads a file as UTF-8 only when it starts with the byte order mark. */
const byteOrderMark = "\uFEFF";

/**
 * A cell as RFC 4180 quotes it. Text a member wrote (a title, a profession) that a spreadsheet
 * would take for a formula starts with an apostrophe instead (OWASP's CSV injection advice).
 */
function cell(value: string | number, separator: string): string {
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table of the analytics screens as a CSV file: headers in the reader's language, CRLF lines. */
export function tableAsCsv(
  table: AnalyticsTable,
  analytics: Analytics,
  t: TFunction,
  locale: Locale,
): string {
  const separator = csvSeparator(locale);
  const lines = [
    table.columns.map((column) => t(`analytics.columns.${column}`)),
    ...table.rows(analytics, t),
  ].map((row) => row.map((value) => cell(value, separator)).join(separator));
  return `${byteOrderMark}${lines.join("\r\n")}\r\n`;
}
