// `atbb category …` and `atbb board …`: the forum's structure, written by the
// forum account. Slugs are derived from names; sort order is the lexicon's
// (lower first); removal is refused while a category holds boards or a board
// holds topics, unless --force, which says what it removes.
import { ids, type StrongRef } from "@atbb/lexicon";
import { and, eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import { UsageError } from "../usage-error.ts";
import { needs, parseCommand, sortOrderOf } from "./args.ts";
import { findPlace, indexedCid } from "./places.ts";
import { isoNow, Refusal, slugOf, withOperator } from "./operator.ts";

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

const ref = (r: { uri: string; cid: string }): StrongRef => ({ uri: r.uri, cid: r.cid });

export async function runCategory(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseCommand("category", args, placeOptions);
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    console.log(CATEGORY_HELP);
    return values.help ? 0 : 2;
  }
  const sortOrder = sortOrderOf("category", values["sort-order"]);
  return withOperator(config(), `category ${action}`, values.json ?? false, async ({ writer, database }, out) => {
    switch (action) {
      case "add": {
        const [name] = needs("category", rest, ["name"]);
        const created = await writer.create(ids.category, {
          name: name!,
          slug: slugOf(name!),
          ...(values.description ? { description: values.description } : {}),
          ...(sortOrder === undefined ? {} : { sortOrder }),
          createdAt: isoNow(),
        });
        out.say(`Added the category ${name} (${created.value.slug}): ${created.uri}`);
        return { category: created };
      }
      case "edit": {
        const [key] = needs("category", rest, ["category"]);
        const found = await findPlace(writer, ids.category, key!);
        const name = values.name ?? found.value.name;
        const record = {
          ...found.value,
          name,
          slug: values.name ? slugOf(values.name) : (found.value.slug ?? slugOf(name)),
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(sortOrder === undefined ? {} : { sortOrder }),
        };
        const updated = await writer.update(
          ids.category,
          found.rkey,
          record,
          await indexedCid(database, ids.category, writer.forumDid, found),
        );
        out.say(`Changed the category ${name}: ${updated.uri}`);
        return { category: updated };
      }
      case "remove": {
        const [key] = needs("category", rest, ["category"]);
        const found = await findPlace(writer, ids.category, key!);
        const boards = (await writer.list(ids.board)).filter((b) => b.value.category.category.uri === found.uri);
        if (boards.length > 0 && !values.force) {
          throw new Refusal(
            `the category ${found.value.name} holds ${boards.length} board(s) (${boards.map((b) => b.value.slug ?? b.rkey).join(", ")}): remove them first, or --force to remove them with it`,
          );
        }
        for (const board of boards) {
          await writer.remove(ids.board, board.rkey, await indexedCid(database, ids.board, writer.forumDid, board));
          out.say(`Removed the board ${board.value.name}: ${board.uri}`);
        }
        await writer.remove(ids.category, found.rkey, await indexedCid(database, ids.category, writer.forumDid, found));
        out.say(`Removed the category ${found.value.name}: ${found.uri}`);
        return { removed: [...boards.map((b) => b.uri), found.uri] };
      }
      case "list": {
        needs("category", rest, []);
        const categories = (await writer.list(ids.category)).sort(
          (a, b) => (a.value.sortOrder ?? 1e9) - (b.value.sortOrder ?? 1e9) || a.value.name.localeCompare(b.value.name),
        );
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
    switch (action) {
      case "add": {
        const [categoryKey, name] = needs("board", rest, ["category", "name"]);
        const category = await findPlace(writer, ids.category, categoryKey!);
        const created = await writer.create(ids.board, {
          name: name!,
          slug: slugOf(name!),
          category: { $type: "space.atbb.forum.board#categoryRef", category: ref(category) },
          ...(values.description ? { description: values.description } : {}),
          ...(sortOrder === undefined ? {} : { sortOrder }),
          createdAt: isoNow(),
        });
        out.say(`Added the board ${name} (${created.value.slug}) to ${category.value.name}: ${created.uri}`);
        return { board: created };
      }
      case "edit": {
        const [key] = needs("board", rest, ["board"]);
        const found = await findPlace(writer, ids.board, key!);
        const category = values.category
          ? ref(await findPlace(writer, ids.category, values.category))
          : found.value.category.category;
        const name = values.name ?? found.value.name;
        const record = {
          ...found.value,
          name,
          slug: values.name ? slugOf(values.name) : (found.value.slug ?? slugOf(name)),
          category: { $type: "space.atbb.forum.board#categoryRef" as const, category },
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(sortOrder === undefined ? {} : { sortOrder }),
        };
        const updated = await writer.update(
          ids.board,
          found.rkey,
          record,
          await indexedCid(database, ids.board, writer.forumDid, found),
        );
        out.say(`Changed the board ${name}: ${updated.uri}`);
        return { board: updated };
      }
      case "remove": {
        const [key] = needs("board", rest, ["board"]);
        const found = await findPlace(writer, ids.board, key!);
        const { boards } = database.schema;
        const [row] = await database.db
          .select({ topics: boards.topicCount })
          .from(boards)
          .where(and(eq(boards.did, writer.forumDid), eq(boards.rkey, found.rkey)));
        const topics = row?.topics ?? 0;
        if (topics > 0 && !values.force)
          throw new Refusal(
            `the board ${found.value.name} holds ${topics} topic(s): --force removes it anyway (the topics stay in their authors' repositories, no longer on a board)`,
          );
        await writer.remove(ids.board, found.rkey, await indexedCid(database, ids.board, writer.forumDid, found));
        out.say(
          `Removed the board ${found.value.name}${topics > 0 ? `, and with it the place of its ${topics} topic(s)` : ""}: ${found.uri}`,
        );
        return { removed: [found.uri], topics };
      }
      case "list": {
        needs("board", rest, []);
        const categories = new Map((await writer.list(ids.category)).map((c) => [c.uri, c]));
        const boards = (await writer.list(ids.board)).sort(
          (a, b) => (a.value.sortOrder ?? 1e9) - (b.value.sortOrder ?? 1e9) || a.value.name.localeCompare(b.value.name),
        );
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
