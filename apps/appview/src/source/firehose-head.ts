// The seq at the head of a firehose, found without waiting for an event.
// Neither a relay nor a PDS offers an XRPC that says its current seq, but
// com.atproto.sync.subscribeRepos declares a FutureCursor error for a cursor
// beyond the head, and a server answers it at once (a PDS does, before any
// event). The head is the greatest cursor not refused: found by doubling,
// then halving, one short-lived subscription per guess (about 2·log2(seq):
// some 20 on a development PDS, 70 for a relay's seq).
import { Firehose, FirehoseSubscriptionError } from "@atproto/sync";
import type { Identity } from "../identity.ts";

/** What one guess told: beyond the head, or not (events followed, or silence: the guess is the head), or no answer at all. */
type Probe = "future" | "not-future" | "unreachable";

/** Past this, a server that refuses no cursor does not follow the FutureCursor rule. */
const MAX_CURSOR = 2 ** 52;

/** Subscribes from `cursor` and reports the first answer: an event, the FutureCursor error, or `quietMs` of silence. */
async function probe(url: string, identity: Identity, cursor: number, quietMs: number): Promise<Probe> {
  let settle: (result: Probe) => void = () => {};
  const answered = new Promise<Probe>((resolve) => (settle = resolve));
  const firehose = new Firehose({
    service: url,
    idResolver: identity.resolver,
    // Only whether something follows counts: nothing is decoded further or verified.
    unauthenticatedCommits: true,
    unauthenticatedHandles: true,
    subscriptionReconnectDelay: 10,
    getCursor: () => cursor,
    handleEvent: () => settle("not-future"),
    onError: (error) => {
      // The error frame's name, as the XRPC error the subscription throws carries it.
      const cause = error.cause as { error?: unknown } | undefined;
      if (cause?.error === "FutureCursor") settle("future");
      else if (error instanceof FirehoseSubscriptionError) settle("unreachable");
      // Anything else (a frame that does not parse, a commit that does not verify) is still an event after the cursor.
      else settle("not-future");
    },
  });
  const running = firehose.start();
  const timer = setTimeout(() => settle("not-future"), quietMs);
  try {
    return await answered;
  } finally {
    clearTimeout(timer);
    await firehose.destroy();
    await running;
  }
}

/**
 * The head's seq: every event after it is yet to come. Null when the server
 * cannot be asked, or refuses no cursor at all (it does not follow the
 * FutureCursor rule).
 */
export async function firehoseHead(url: string, identity: Identity, quietMs = 1_000): Promise<number | null> {
  // Doubling: `low` is known not to be in the future, `high` is.
  let low = 0;
  let high = 1;
  for (;;) {
    const answer = await probe(url, identity, high, quietMs);
    if (answer === "unreachable") return null;
    if (answer === "future") break;
    low = high;
    high *= 2;
    if (high > MAX_CURSOR) return null;
  }
  // Halving, until the two meet.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const answer = await probe(url, identity, middle, quietMs);
    if (answer === "unreachable") return null;
    if (answer === "future") high = middle;
    else low = middle;
  }
  return low;
}
