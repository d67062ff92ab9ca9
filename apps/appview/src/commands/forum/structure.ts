// `atbb category …` and `atbb board …`: the forum's structure, written by the
// forum account (the rules, shared with the administrators' routes, are in
// forum-structure/places.ts). Sort order is the lexicon's (lower first);
// removal is refused while a category holds boards or a board holds topics,
// unless --force, which says what it removes.
import { ids } from "@atbb/lexicon";
import type { Config } from "../../config.ts";
import { findPlace, forumStructure } from "../../forum-structure/places.ts";
import { UsageError } from "../usage-error.ts";
import { needs, parseCommand, sortOrderOf } from "./args.ts";
import { withOperator } from "./operator.ts";

const EXITS =
  "Exit codes: 0 done, 1 the PDS failed, 2 usage, 3 changed behind this AppView's back, 4 login refused, 5 refused (not found, not empty, not valid).";

export const CATEGORY_HELP = `Usage: atbb category <add|edit|remove|list> … [--json]

  atbb category add <name> [--description <text>] [--sort-order <n>]
  atbb category edit <category> [--name <name>] [--description <text>] [--sort-order <n>]
  atbb category remove <category> [--force]
  atbb category list

<category> is a slug, a record key or an AT-URI. The slug is derived from the
name. Lower sort orders come first. remove refuses while the category holds
boards; --force removes its boards with it (their topics stay in their
authors' repositories, no longer on a board).

${EXITS}`;

export const BOARD_HELP = `Usage: atbb board <add|edit|remove|list> … [--json]

  atbb board add <category> <name> [--description <text>] [--sort-order <n>]
  atbb board edit <board> [--name <name>] [--description <text>] [--sort-order <n>] [--category <category>]
  atbb board remove <board> [--force]
  atbb board list

<board> and <category> are slugs, record keys or AT-URIs. The slug is
derived from the name. remove refuses while the board holds topics; --force
removes it anyway (its topics stay in their authors' repositories).

${EXITS}`;

const placeOptions = {
  name: { type: "string" },
  description: { type: "string" },
  "sort-order": { type: "string" },
  category: { type: "string" },
  force: { type: "boolean" },
} as const;

const byOrder = <R extends { value: { sortOrder?: number; name: string } }>(a: R, b: R) =>
  (a.value.sortOrder ?? 1e9) - (b.value.sortOrder ?? 1e9) || a.value.name.localeCompare(b.value.name);

export async function runCategory(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("category", args, placeOptions);
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    console.log(CATEGORY_HELP);
    return values.help ? 0 : 2;
  }
  const sortOrder = sortOrderOf("category", values["sort-order"]);
  return withOperator(config(), `category ${action}`, values.json ?? false, async ({ writer, database }, out) => {
    const structure = forumStructure(writer, database, "--force");
    switch (action) {
      case "add": {
        const [name] = needs("category", rest, ["name"]);
        const created = await structure.addCategory({
          name: name!,
          ...(values.description ? { description: values.description } : {}),
          ...(sortOrder === undefined ? {} : { sortOrder }),
        });
        out.say(`Added the category ${name} (${created.value.slug}): ${created.uri}`);
        return { category: created };
      }
      case "edit": {
        const [key] = needs("category", rest, ["category"]);
        const found = await findPlace(writer, ids.category, key!);
        const updated = await structure.editCategory(found, {
          ...(values.name === undefined ? {} : { name: values.name }),
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(sortOrder === undefined ? {} : { sortOrder }),
        });
        out.say(`Changed the category ${updated.value.name}: ${updated.uri}`);
        return { category: updated };
      }
      case "remove": {
        const [key] = needs("category", rest, ["category"]);
        const found = await findPlace(writer, ids.category, key!);
        const removed = await structure.removeCategory(found, values.force ?? false);
        for (const board of removed.boards) out.say(`Removed the board ${board.value.name}: ${board.uri}`);
        out.say(`Removed the category ${found.value.name}: ${found.uri}`);
        return { removed: [...removed.boards.map((b) => b.uri), found.uri] };
      }
      case "list": {
        needs("category", rest, []);
        const categories = (await writer.list(ids.category)).sort(byOrder);
        for (const c of categories)
          out.say(`${c.value.slug ?? c.rkey}\t${c.value.sortOrder ?? "-"}\t${c.value.name}\t${c.uri}`);
        if (categories.length === 0) out.say("No categories yet: `atbb category add <name>`.");
        return { categories };
      }
      default:
        throw new UsageError(`unknown action "${action}": add, edit, remove or list`, "category");
    }
  });
}

export async function runBoard(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("board", args, placeOptions);
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    console.log(BOARD_HELP);
    return values.help ? 0 : 2;
  }
  const sortOrder = sortOrderOf("board", values["sort-order"]);
  return withOperator(config(), `board ${action}`, values.json ?? false, async ({ writer, database }, out) => {
    const structure = forumStructure(writer, database, "--force");
    switch (action) {
      case "add": {
        const [categoryKey, name] = needs("board", rest, ["category", "name"]);
        const category = await findPlace(writer, ids.category, categoryKey!);
        const created = await structure.addBoard(category, {
          name: name!,
          ...(values.description ? { description: values.description } : {}),
          ...(sortOrder === undefined ? {} : { sortOrder }),
        });
        out.say(`Added the board ${name} (${created.value.slug}) to ${category.value.name}: ${created.uri}`);
        return { board: created };
      }
      case "edit": {
        const [key] = needs("board", rest, ["board"]);
        const found = await findPlace(writer, ids.board, key!);
        const updated = await structure.editBoard(found, {
          ...(values.name === undefined ? {} : { name: values.name }),
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(sortOrder === undefined ? {} : { sortOrder }),
          ...(values.category ? { category: await findPlace(writer, ids.category, values.category) } : {}),
        });
        out.say(`Changed the board ${updated.value.name}: ${updated.uri}`);
        return { board: updated };
      }
      case "remove": {
        const [key] = needs("board", rest, ["board"]);
        const found = await findPlace(writer, ids.board, key!);
        const { topics } = await structure.removeBoard(found, values.force ?? false);
        out.say(
          `Removed the board ${found.value.name}${topics > 0 ? `, and with it the place of its ${topics} topic(s)` : ""}: ${found.uri}`,
        );
        return { removed: [found.uri], topics };
      }
      case "list": {
        needs("board", rest, []);
        const categories = new Map((await writer.list(ids.category)).map((c) => [c.uri, c]));
        const boards = (await writer.list(ids.board)).sort(byOrder);
        for (const b of boards)
          out.say(
            `${b.value.slug ?? b.rkey}\t${b.value.sortOrder ?? "-"}\t${b.value.name}\t${categories.get(b.value.category.category.uri)?.value.name ?? "(no category)"}\t${b.uri}`,
          );
        if (boards.length === 0) out.say("No boards yet: `atbb board add <category> <name>`.");
        return { boards };
      }
      default:
        throw new UsageError(`unknown action "${action}": add, edit, remove or list`, "board");
    }
  });
}
