// The forum index: categories, and in each its boards with their counts and
// latest activity.
import type { CategoryView } from "../deps.ts";
import { type Frame, Layout, When } from "../layout.tsx";

export function ForumIndexPage(props: {
  frame: Frame;
  forum: { name: string; description: string | null };
  categories: CategoryView[];
}) {
  return (
    <Layout frame={props.frame} title={props.forum.name}>
      <h1>{props.forum.name}</h1>
      {props.forum.description ? <p class="muted">{props.forum.description}</p> : null}
      {props.categories.length === 0 ? <p>No categories yet.</p> : null}
      {props.categories.map((category) => (
        <section aria-labelledby={`category-${category.id}`}>
          <h2 id={`category-${category.id}`}>{category.name}</h2>
          {category.description ? <p class="muted">{category.description}</p> : null}
          {category.boards.length === 0 ? (
            <p class="muted">No boards in this category yet.</p>
          ) : (
            <ul class="list">
              {category.boards.map((board) => (
                <li>
                  <div class="row">
                    <div>
                      <a href={`/b/${board.id}`}>
                        <strong>{board.name}</strong>
                      </a>
                      {board.description ? <div class="muted">{board.description}</div> : null}
                    </div>
                    <div class="counts">
                      {board.topicCount} {board.topicCount === 1 ? "topic" : "topics"}, {board.postCount}{" "}
                      {board.postCount === 1 ? "post" : "posts"}
                      <br />
                      {board.lastActivityAt ? (
                        <>
                          Latest: <When at={board.lastActivityAt} />
                        </>
                      ) : (
                        "No posts yet"
                      )}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </Layout>
  );
}
