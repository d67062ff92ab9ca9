// Each operator command parses its own arguments: strictly, with --help and
// --json everywhere, and a parse error reported as a usage error (exit 2).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../usage-error.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommand<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { help: { type: "boolean", short: "h" }, json: { type: "boolean" }, ...options },
    });
  } catch (error) {
    const message = (error as Error).message.replace(/'/g, "").replace(/\. To specify a positional argument.*$/s, ".");
    throw new UsageError(message, command);
  }
}

/** The positional arguments a subcommand needs, or a usage error naming them. */
export function needs(command: string, given: string[], names: string[]): string[] {
  if (given.length < names.length)
    throw new UsageError(
      `missing ${names
        .slice(given.length)
        .map((n) => `<${n}>`)
        .join(" ")}`,
      command,
    );
  if (given.length > names.length) throw new UsageError(`unexpected argument "${given[names.length]}"`, command);
  return given;
}

/** A --sort-order value: a whole number within the lexicon's 0…1000000. */
export function sortOrderOf(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 1_000_000)
    throw new UsageError(`--sort-order must be a whole number from 0 to 1000000, not "${value}"`, command);
  return n;
}
