// What a member may write, checked before anything is written: the
// lexicon's limits said in graphemes (what a person counts as characters),
// and how often (a per-member rate limit).

/** space.atbb.post's published limits (packages/lexicon/lexicons/space/atbb/post.json). */
export const TEXT_MAX_GRAPHEMES = 300;
export const TITLE_MAX_GRAPHEMES = 120;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
export const graphemes = (value: string): number => {
  let n = 0;
  for (const _ of segmenter.segment(value)) n++;
  return n;
};

/** A sentence for the member when `value` does not fit, else null. */
export function tooLong(what: string, value: string, max: number): string | null {
  if (value.trim() === "") return `${what} is empty: write something.`;
  const n = graphemes(value);
  return n > max ? `${what} is ${n} characters long; at most ${max} fit. Shorten it by ${n - max}.` : null;
}

/**
 * At most `perMinute` writes per member in any sliding minute, counted in
 * this process (several `atbb serve` each allow as many: the limit is there
 * to stop a runaway client, not to be exact).
 */
export function writeLimiter(perMinute: number, now: () => number = Date.now) {
  const recent = new Map<string, number[]>();
  return {
    /** Seconds until `did` may write again; 0 when it may now. */
    wait(did: string): number {
      const since = now() - 60_000;
      const times = (recent.get(did) ?? []).filter((t) => t > since);
      recent.set(did, times);
      return times.length < perMinute ? 0 : Math.max(1, Math.ceil((times[0]! - since) / 1000));
    },
    /** Counts a write made. */
    count(did: string): void {
      const times = recent.get(did) ?? [];
      times.push(now());
      recent.set(did, times);
    },
  };
}

export type WriteLimiter = ReturnType<typeof writeLimiter>;
