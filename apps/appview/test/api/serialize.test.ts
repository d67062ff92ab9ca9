import { describe, expect, it } from "vitest";
import { iso } from "../../src/api/bodies/time.ts";
import { seededRandom } from "../support/random.ts";

describe("iso", () => {
  it("writes every date exactly as toISOString does, extended years and the epoch's edges included", () => {
    const random = seededRandom(7);
    const edges = [
      0, -1, 1, 999, -86_400_000, 86_399_999, 8.64e15, -8.64e15, 253_402_300_799_999, 253_402_300_800_000,
      -62_167_219_200_001, 1_793_491_200_123,
    ];
    const forumEra = Array.from({ length: 20_000 }, () => 1.6e12 + Math.floor(random() * 2e11));
    const anyTime = Array.from({ length: 20_000 }, () => Math.floor((random() * 2 - 1) * 8.64e15));
    for (const ms of [...edges, ...forumEra, ...anyTime, ...forumEra]) {
      const date = new Date(ms);
      if (iso(date) !== date.toISOString()) expect([ms, iso(date)]).toEqual([ms, date.toISOString()]);
    }
    expect(iso(null)).toBeNull();
    expect(() => iso(new Date(Number.NaN))).toThrow(RangeError);
  });
});
