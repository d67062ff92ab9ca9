// A search as a person writes it — words, "quoted phrases", -excluded words
// or -"phrases" — read into terms made only of letters and digits, then
// written out in each engine's own query language. The person's text never
// reaches FTS5's MATCH or PostgreSQL's to_tsquery: only the words we cut out
// of it, each quoted (FTS5) or alone between operators (tsquery), so no
// character of theirs can be an operator.
import { ApiError } from "../errors.ts";

/** A word or a phrase: its words, lower-cased, in order. */
export type Phrase = string[];

export interface SearchTerms {
  /** Every one must be in the post. */
  required: Phrase[];
  /** None may be. */
  excluded: Phrase[];
}

/** Longer queries are refused rather than cut: a cut could change what they mean. */
export const MAX_QUERY_LENGTH = 500;
/** Each term is one more index probe per query; more than this is not a search a person writes. */
export const MAX_TERMS = 16;

// What both engines count as a word: FTS5's unicode61 and PostgreSQL's parser
// both split on everything that is not a letter or a digit.
const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string): Phrase => (text.toLowerCase().match(WORD) ?? []).map((w) => w.normalize("NFC"));

const invalid = (message: string) => new ApiError(400, "invalid_request", `q ${message}`);

/**
 * Reads a query. A quote left open runs to the end; "-" before a word or a
 * phrase excludes it; a word with inner punctuation ("e-mail") is the phrase
 * of its parts, as the engines index it.
 */
export function parseSearch(query: string): SearchTerms {
  if (query.length > MAX_QUERY_LENGTH) throw invalid(`must be at most ${MAX_QUERY_LENGTH} characters`);
  const terms: SearchTerms = { required: [], excluded: [] };
  const piece = /(-?)(?:"([^"]*)"?|([^\s"]+))/gu;
  for (const [, minus, quoted, bare] of query.matchAll(piece)) {
    const words = wordsOf(quoted ?? bare ?? "");
    if (words.length === 0) continue;
    (minus ? terms.excluded : terms.required).push(words);
  }
  if (terms.required.length === 0) {
    throw invalid("must contain at least one word to look for (letters or digits), not only excluded ones");
  }
  if (terms.required.length + terms.excluded.length > MAX_TERMS) throw invalid(`must have at most ${MAX_TERMS} terms`);
  return terms;
}

/** FTS5: each phrase as a string (our words hold no quote), required ones ANDed, then each excluded NOT-ed. */
export function fts5Query({ required, excluded }: SearchTerms): string {
  const phrase = (words: Phrase) => `"${words.join(" ")}"`;
  return [`(${required.map(phrase).join(" AND ")})`, ...excluded.map(phrase)].join(" NOT ");
}

/** PostgreSQL tsquery: a phrase as words joined by <->, required ones ANDed, excluded ones negated. */
export function tsQuery({ required, excluded }: SearchTerms): string {
  const phrase = (words: Phrase) => `(${words.join(" <-> ")})`;
  return [...required.map(phrase), ...excluded.map((words) => `!${phrase(words)}`)].join(" & ");
}

/** Every word the reader looked for, for highlighting. */
export const highlightedWords = ({ required }: SearchTerms): string[] => [...new Set(required.flat())];
