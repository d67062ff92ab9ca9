// A write refused before anything was written: the members' posting, the
// moderators' actions and the permission checks all refuse this way, and the
// API answers each with its status and code.
export class Refusal extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 503;
  readonly code: string;
  readonly retryAfter?: number;
  constructor(status: Refusal["status"], code: string, message: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}
