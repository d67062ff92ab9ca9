import { defineConfig } from "drizzle-kit";

// drizzle-kit is a development tool: `pnpm db:generate` writes reviewed SQL
// into ./drizzle; `atbb migrate` applies it at runtime.
export default defineConfig({
  dialect: "postgresql",
  schema: "../../packages/db/src/schema.ts",
  out: "./drizzle",
  breakpoints: true,
});
