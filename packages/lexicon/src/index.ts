export * from "./collections.ts";
export type * from "./records.ts";
export * from "./syntax.ts";
export { lexiconDir, lexicons, validateRecord, type ValidationResult } from "./validate.ts";
export { lexToJson } from "@atproto/lexicon";
