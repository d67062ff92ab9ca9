import type { createApp } from "../../src/api/app.ts";
import { sampleUsers } from "./sample-forum.ts";

type App = ReturnType<typeof createApp>;

/** Every GET route of a forum, found by walking it from /api/categories. */
export async function everyGetPath(app: App, users: readonly string[] = sampleUsers): Promise<string[]> {
  const json = async (path: string) => (await (await app.request(path)).json()) as any;
  const paths = [
    "/api/forum",
    "/api/categories",
    "/api/roles",
    "/api/mod-actions",
    "/api/mod-actions?offset=1&limit=2",
    "/api/openapi.json",
  ];
  for (const category of (await json("/api/categories")).categories) {
    paths.push(`/api/categories/${category.id}`, `/api/categories/${category.id}/boards`);
    for (const board of category.boards) {
      paths.push(
        `/api/boards/${board.id}`,
        `/api/boards/${board.id}/topics`,
        `/api/boards/${board.id}/topics?offset=2&limit=3`,
      );
      for (const topic of (await json(`/api/boards/${board.id}/topics?limit=100`)).topics) {
        paths.push(`/api/topics/${topic.id}`, `/api/topics/${topic.id}?offset=1&limit=2`);
      }
    }
  }
  for (const did of users) paths.push(`/api/users/${did}`, `/api/members/${did}/permissions`);
  return paths;
}
