/** At most `perSecond` requests to any one host, spaced evenly; other hosts are not held up. */
export class HostLimiter {
  #intervalMs: number;
  #next = new Map<string, number>();

  constructor(perSecond: number) {
    this.#intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
  }

  async take(host: string): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.#next.get(host) ?? now);
    this.#next.set(host, at + this.#intervalMs);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
