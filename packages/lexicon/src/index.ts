export * from "./collections.ts";
export * from "./forms.ts";
export type * from "./records.ts";
export * from "./syntax.ts";
export { lexiconDir, lexicons, validatePublishedRecord, validateRecord, type ValidationResult } from "./validate.ts";
export { lexToJson } from "@atproto/lexicon";
