// The operator's commands, as the forum account: the words atbb routes here,
// each parsing its own arguments (cli.ts keeps to atbb's own).
import type { Config } from "../../config.ts";
import { runInit } from "./init.ts";
import { runMod } from "./moderation.ts";
import { runRole } from "./roles.ts";
import { runBoard, runCategory } from "./structure.ts";

/** A command's arguments, and the configuration, read when the command needs it. */
export type ForumCommand = (args: string[], config: () => Config) => Promise<number>;

export const FORUM_COMMANDS: Record<string, ForumCommand> = {
  init: runInit,
  category: runCategory,
  board: runBoard,
  role: runRole,
  mod: runMod,
};
