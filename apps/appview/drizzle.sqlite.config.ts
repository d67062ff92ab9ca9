import { defineConfig } from "drizzle-kit";

// drizzle-kit is a development tool: `pnpm db:generate:sqlite` writes reviewed
// SQL into ./drizzle-sqlite; `atbb migrate` applies it at runtime.
export default defineConfig({
  dialect: "sqlite",
  schema: "../../packages/db/src/schema.sqlite.ts",
  out: "./drizzle-sqlite",
  breakpoints: true,
});
