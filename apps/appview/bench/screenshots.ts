// pnpm screenshots [--out DIR]: PNGs of every page, desktop and phone, light
// and dark, into screenshots/ (git-ignored), for review (screenshot-pages.ts).
// The load hook comes first: it compiles the pages' .tsx when run from sources.
import "../src/load-hooks.ts";

await (await import("./screenshot-pages.ts")).taking;
