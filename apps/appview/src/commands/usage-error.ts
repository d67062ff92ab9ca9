/** A mistake in how atbb was called: exit code 2, and a pointer to the right help. */
export class UsageError extends Error {
  /** The command whose help to point at, when known. */
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}
