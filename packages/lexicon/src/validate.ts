import { Lexicons, type LexiconDoc } from "@atproto/lexicon";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collections, ids, type Collection } from "./collections.ts";
import { mistypedReference, toPublishedForm, unpublishedFormsOf, type RecordTypes } from "./forms.ts";
import type { PublishedRecordTypes } from "./records.ts";

/** The lexicon documents shipped with this package (../lexicons from src/ or dist/). */
export const lexiconDir = fileURLToPath(new URL("../lexicons", import.meta.url));

function readDocs(dir: string): LexiconDoc[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => JSON.parse(readFileSync(join(entry.parentPath, entry.name), "utf8")) as LexiconDoc);
}

const docs = readDocs(lexiconDir);

/** atBB's published record shapes and limits: what this AppView writes. */
export const lexicons = new Lexicons(docs);

for (const collection of collections) {
  if (!lexicons.getDef(collection)) throw new Error(`No lexicon document for ${collection} in ${lexiconDir}`);
}

/**
 * Where reading is more lenient than writing: records within these limits
 * were accepted before the published limits were adopted, and the network
 * holds them (docs/indexer.md, "Post text").
 */
const readLimits: Partial<Record<Collection, Record<string, { maxLength: number; maxGraphemes: number }>>> = {
  [ids.post]: { text: { maxLength: 30000, maxGraphemes: 3000 }, title: { maxLength: 3000, maxGraphemes: 300 } },
  [ids.forum]: { description: { maxLength: 30000, maxGraphemes: 3000 } },
};

/** A record's lexicon with its string fields' limits widened to `limits`. */
function widened(doc: LexiconDoc, limits: Record<string, { maxLength: number; maxGraphemes: number }>): LexiconDoc {
  const main = doc.defs.main;
  if (main?.type !== "record") throw new Error(`${doc.id} is not a record lexicon`);
  const properties = { ...main.record.properties };
  for (const [field, limit] of Object.entries(limits)) {
    const property = properties[field];
    if (property?.type !== "string") throw new Error(`${doc.id} has no string field ${field} to read leniently`);
    properties[field] = { ...property, ...limit };
  }
  return { ...doc, defs: { ...doc.defs, main: { ...main, record: { ...main.record, properties } } } };
}

const readLexicons = new Lexicons(
  docs.map((doc) => {
    const limits = readLimits[doc.id as Collection];
    return limits ? widened(doc, limits) : doc;
  }),
);

export type ValidationResult<R> = { ok: true; record: R } | { ok: false; reason: string };

function check(lexicon: Lexicons, collection: Collection, value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "record is not an object";
  const type = (value as { $type?: unknown }).$type;
  if (type !== undefined && type !== collection) {
    return `record $type ${JSON.stringify(String(type)).slice(0, 200)} does not match collection ${collection}`;
  }
  try {
    lexicon.assertValidRecord(collection, { ...value, $type: collection });
    return mistypedReference(collection, value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.slice(0, 500);
  }
}

/**
 * Validates a record as read from the network: the published shapes or the
 * older flat ones (checked as their published equivalent), within the read
 * limits. Returns the record as it came. Never throws.
 */
export function validateRecord<C extends Collection>(collection: C, value: unknown): ValidationResult<RecordTypes[C]> {
  const published =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? toPublishedForm(collection, value as RecordTypes[C])
      : value;
  const problem = check(readLexicons, collection, published);
  return problem === null ? { ok: true, record: value as RecordTypes[C] } : { ok: false, reason: problem };
}

/**
 * Validates a record about to be written: exactly atBB's published form
 * (wrapped references with their $type, action tokens) within the published
 * limits. Never throws.
 */
export function validatePublishedRecord<C extends Collection>(
  collection: C,
  value: unknown,
): ValidationResult<PublishedRecordTypes[C]> {
  const problem = check(lexicons, collection, value);
  if (problem !== null) return { ok: false, reason: problem };
  const forms = unpublishedFormsOf(collection, value);
  if (forms.length > 0) return { ok: false, reason: `not in the published form: ${forms.join(", ")}` };
  return { ok: true, record: value as PublishedRecordTypes[C] };
}
