// Waiting for something another process does (the firehose's echo, an
// indexer catching up, a moment passing): polls until the probe gives a
// value, and names what never came. A bound on waiting, not an assertion
// about speed.
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
