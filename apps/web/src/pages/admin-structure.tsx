// The forum's structure as an administrator changes it: the categories and
// their boards in the forum's order with links to edit or remove each, a form
// for a new category, a category's page (edit it, add a board to it), a
// board's page, and the confirmation a removal asks for. A removal the forum
// refuses (a category with boards, a board with topics) says why, there.
import type { AdminCapabilities, AdminCategory, AdminPlace } from "../admin-deps.ts";
import type { Viewer } from "../deps.ts";
import type { Frame } from "../layout.tsx";
import { WritingForm } from "./compose.tsx";
import { AdminLayout, type FieldProblem, PlaceFields, type PlaceForm } from "./admin.tsx";

interface Shown {
  frame: Frame;
  viewer: Viewer;
  may: AdminCapabilities;
}

const TRAIL = [{ href: "/admin/structure", name: "Categories and boards" }];
const formProblem = (problem: FieldProblem | null) =>
  problem && problem.field === null ? { field: null, message: problem.message } : null;
const sortWords = (place: AdminPlace) => (place.sortOrder === null ? "no sort order" : `sort order ${place.sortOrder}`);

export function StructurePage(
  props: Shown & { categories: AdminCategory[]; form: PlaceForm; problem: FieldProblem | null },
) {
  return (
    <AdminLayout frame={props.frame} title="Categories and boards" may={props.may}>
      {props.categories.length === 0 ? <p>No categories yet.</p> : null}
      {props.categories.map((category) => (
        <section aria-labelledby={`category-${category.id}`}>
          <h2 id={`category-${category.id}`}>{category.name}</h2>
          <p class="muted">
            {category.description ? `${category.description} · ` : ""}
            {sortWords(category)}
          </p>
          <p class="actions">
            <a href={`/admin/categories/${category.id}`}>Edit category {category.name} or add a board to it</a>
            <a href={`/admin/categories/${category.id}/delete`}>Delete category {category.name}</a>
          </p>
          {category.boards.length === 0 ? (
            <p class="muted">No boards in this category yet.</p>
          ) : (
            <ul class="list" aria-label={`Boards of ${category.name}`}>
              {category.boards.map((board) => (
                <li>
                  <div class="row">
                    <div>
                      <a href={`/b/${board.id}`}>
                        <strong>{board.name}</strong>
                      </a>
                      <div class="muted">
                        {board.topicCount} {board.topicCount === 1 ? "topic" : "topics"} · {sortWords(board)}
                      </div>
                    </div>
                    <div class="counts">
                      <a href={`/admin/boards/${board.id}`}>Edit board {board.name}</a>
                      <br />
                      <a href={`/admin/boards/${board.id}/delete`}>Delete board {board.name}</a>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      <section aria-labelledby="new-category-heading">
        <h2 id="new-category-heading">New category</h2>
        <WritingForm
          action="/admin/categories"
          viewer={props.viewer}
          submit="Create category"
          problem={formProblem(props.problem)}
        >
          <PlaceFields id="new-category" value={props.form} problem={props.problem} />
        </WritingForm>
      </section>
    </AdminLayout>
  );
}

/** A category's page: its own form, and one for a new board in it; `refused` says which of the two a problem is about. */
export function CategoryPage(
  props: Shown & {
    category: AdminCategory;
    form: PlaceForm;
    board: PlaceForm;
    problem: FieldProblem | null;
    refused: "category" | "board" | null;
  },
) {
  const { category } = props;
  const problemOf = (form: "category" | "board") => (props.refused === form ? props.problem : null);
  return (
    <AdminLayout frame={props.frame} title={`Category ${category.name}`} may={props.may} trail={TRAIL}>
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit this category</h2>
        <WritingForm
          action={`/admin/categories/${category.id}`}
          viewer={props.viewer}
          submit="Save category"
          problem={formProblem(problemOf("category"))}
        >
          <PlaceFields id="category" value={props.form} problem={problemOf("category")} />
        </WritingForm>
      </section>
      <section aria-labelledby="new-board-heading">
        <h2 id="new-board-heading">New board in {category.name}</h2>
        <WritingForm
          action={`/admin/categories/${category.id}/boards`}
          viewer={props.viewer}
          submit="Create board"
          problem={formProblem(problemOf("board"))}
        >
          <PlaceFields id="new-board" value={props.board} problem={problemOf("board")} />
        </WritingForm>
      </section>
    </AdminLayout>
  );
}

export function BoardPage(
  props: Shown & { board: AdminPlace; category: AdminCategory; form: PlaceForm; problem: FieldProblem | null },
) {
  const { board } = props;
  return (
    <AdminLayout frame={props.frame} title={`Board ${board.name}`} may={props.may} trail={TRAIL}>
      <p>
        In the category {props.category.name}. <a href={`/b/${board.id}`}>Open the board</a>
      </p>
      <WritingForm
        action={`/admin/boards/${board.id}`}
        viewer={props.viewer}
        submit="Save board"
        problem={formProblem(props.problem)}
      >
        <PlaceFields id="board" value={props.form} problem={props.problem} />
      </WritingForm>
    </AdminLayout>
  );
}

/** The confirmation a removal asks for; a refusal is shown above the button. */
export function RemovePage(props: Shown & { kind: "category" | "board"; place: AdminPlace; problem: string | null }) {
  const { kind, place } = props;
  return (
    <AdminLayout frame={props.frame} title={`Delete the ${kind} ${place.name}`} may={props.may} trail={TRAIL}>
      <p>
        {kind === "category"
          ? "The category is deleted from the forum's repository. A category that still holds boards is not deleted: move or delete its boards first."
          : "The board is deleted from the forum's repository. A board that still holds topics is not deleted, so that no topic is left without a board."}
      </p>
      <WritingForm
        action={`/admin/${kind === "category" ? "categories" : "boards"}/${place.id}/delete`}
        viewer={props.viewer}
        submit={`Delete ${kind}`}
        problem={props.problem ? { field: null, message: props.problem } : null}
      >
        <p>
          <a href="/admin/structure">Keep it and go back</a>
        </p>
      </WritingForm>
    </AdminLayout>
  );
}
