// Ids and times as the API writes them: ids as strings (JSON numbers lose
// precision past 2^53, and SQLite and PostgreSQL hand ids back differently),
// timestamps as ISO-8601 in UTC with milliseconds.
import { z } from "@hono/zod-openapi";

export const Id = z.string().regex(/^\d+$/).describe("Numeric id, as a string");
export const Timestamp = z.iso.datetime({ precision: 3 }).describe("ISO-8601, UTC, with milliseconds");
export const AtUri = z.string().startsWith("at://").describe("The record's AT-URI");

const DAY_MS = 86_400_000;
const dayPrefixes = new Map<number, string>();
const twoDigits = (n: number) => (n < 10 ? "0" : "") + n;

/**
 * date.toISOString(), which costs about a microsecond a call, and a page
 * shows up to 250 dates: the day ("2026-11-22T", from toISOString, so
 * extended years stay right) is remembered, posts share days; the time of
 * day is arithmetic.
 */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  if (date === null) return null;
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    prefix = date.toISOString().slice(0, -"00:00:00.000Z".length);
    dayPrefixes.set(day, prefix);
  }
  const msOfDay = ms - day * DAY_MS;
  const second = Math.floor(msOfDay / 1000);
  const milli = msOfDay % 1000;
  return `${prefix}${twoDigits(Math.floor(second / 3600))}:${twoDigits(Math.floor(second / 60) % 60)}:${twoDigits(second % 60)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

export const idString = (id: number | null): string | null => (id === null ? null : String(id));
