// The event contract between the sources and the indexer: candidates in
// (candidate.ts), one validator (validate.ts, with rules.ts), operations or
// rejections out (operations.ts, rejections.ts), and the stream a live source
// offers (stream.ts). It imports nothing of the AppView but the lexicons.
export type { AccountCandidate, Candidate, CommitCandidate, IdentityCandidate } from "./candidate.ts";
export type { AccountOp, DeleteOp, IdentityOp, IndexOp, RecordOp } from "./operations.ts";
export { REJECT_REASONS, type RejectReason, type Rejection } from "./rejections.ts";
export type { EventSource, SourceEvent } from "./stream.ts";
export { rejected, validate, type Verdict } from "./validate.ts";
