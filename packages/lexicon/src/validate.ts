import { Lexicons, type LexiconDoc } from "@atproto/lexicon";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collections, type Collection } from "./collections.ts";
import type { RecordTypes } from "./records.ts";

/** The lexicon documents shipped with this package (../lexicons from src/ or dist/). */
export const lexiconDir = fileURLToPath(new URL("../lexicons", import.meta.url));

function readDocs(dir: string): LexiconDoc[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => JSON.parse(readFileSync(join(entry.parentPath, entry.name), "utf8")) as LexiconDoc);
}

export const lexicons = new Lexicons(readDocs(lexiconDir));

for (const collection of collections) {
  if (!lexicons.getDef(collection)) throw new Error(`No lexicon document for ${collection} in ${lexiconDir}`);
}

export type ValidationResult<C extends Collection> =
  | { ok: true; record: RecordTypes[C] }
  | { ok: false; reason: string };

/** Validates a record against its collection's lexicon. Never throws. */
export function validateRecord<C extends Collection>(collection: C, value: unknown): ValidationResult<C> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "record is not an object" };
  }
  const type = (value as { $type?: unknown }).$type;
  if (type !== undefined && type !== collection) {
    return { ok: false, reason: `record $type ${JSON.stringify(String(type)).slice(0, 200)} does not match collection ${collection}` };
  }
  try {
    lexicons.assertValidRecord(collection, { ...value, $type: collection });
    return { ok: true, record: value as RecordTypes[C] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.slice(0, 500) };
  }
}
