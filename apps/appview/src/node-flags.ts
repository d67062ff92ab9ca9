// The flags atbb's launchers give Node: bin/atbb (scripts/bundle.ts), the Nix
// wrapper (nix/package.nix, which repeats them), and the bench, which runs
// atbb as it ships.
//
// --max-semi-space-size=16 (MB): V8 sizes the young generation from the
// machine's memory. On the 2-core, 23 GB bench machine it grew to 128 MB
// (two 64 MB semi-spaces) during ingest, and 64 MB already while loading,
// and those pages stay resident. Capped at 16 MB, ingest of 50k events
// (docs/performance.md) peaked at 232–278 MB instead of 346–368 on SQLite and
// 293–297 instead of 376–391 on PostgreSQL. The cost is more scavenging and
// promotion: serve's CPU time for the SQLite run went up ~19% in one paired
// run (none visible on PostgreSQL); 8 MB promoted so much that old space grew
// and the peak rose again (313 MB).
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16"];
