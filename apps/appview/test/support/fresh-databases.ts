// Test databases made on demand, each dropped after the test that made it.
import { afterEach } from "vitest";

/** `create`, with everything it made dropped after each test (register at a file's or a describe's top level). */
export function droppedAfterEach<D extends { drop(): Promise<void> }>(create: () => Promise<D>): () => Promise<D> {
  const made: D[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => d.drop()));
  });
  return async () => {
    const database = await create();
    made.push(database);
    return database;
  };
}
