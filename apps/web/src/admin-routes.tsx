// The administration pages under /admin: each section is shown only to a
// member whose role permits it (logged out: to the login; else a 403 page),
// and each form posts, is checked by `postedForm` (the forms' one check,
// then the section's permission), and is answered with a redirect, or with the
// form again, the text kept and the refusal beside the field it is about.
// The actions check the permission, the hierarchy and the input again.
import type { Context, Hono } from "hono";
import type { AdminActions, AdminCapabilities, AdminRefusal, PlaceInput } from "./admin-deps.ts";
import type { MemberActions, Viewer, WebDeps } from "./deps.ts";
import { formPosts } from "./form-posts.tsx";
import { pageAnswers } from "./answers.tsx";
import { offsetOf, type Paging, paging } from "./paging.tsx";
import {
  type AdminSection,
  AdminIndexPage,
  administers,
  EMPTY_PLACE,
  type FieldProblem,
  mayOpen,
  placeFormOf,
  type PlaceForm,
} from "./pages/admin.tsx";
import { BackfillPage, ModLogPage } from "./pages/admin-log.tsx";
import { type MemberProblem, MembersPage } from "./pages/admin-members.tsx";
import { BoardPage, CategoryPage, RemovePage, StructurePage } from "./pages/admin-structure.tsx";
import { ForbiddenPage } from "./pages/problems.tsx";
import { idOf } from "./read-routes.tsx";
import type { StaticFiles } from "./static-files.ts";

const PAGE_SIZE = 50;
const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}$/;

interface Admitted {
  viewer: Viewer;
  may: AdminCapabilities;
}

/** A form's sort order: empty removes it; anything but a whole number is refused beside the field. */
function placeInputOf(form: PlaceForm): PlaceInput | FieldProblem {
  const sort = form.sortOrder.trim();
  if (sort !== "" && !/^\d{1,7}$/.test(sort))
    return { field: "sortOrder", message: "The sort order must be a whole number from 0 to 1000000." };
  return { name: form.name, description: form.description, sortOrder: sort === "" ? null : Number(sort) };
}
const isProblem = (value: PlaceInput | FieldProblem): value is FieldProblem => "message" in value;
const problemOf = (refusal: AdminRefusal): FieldProblem => ({ field: refusal.field, message: refusal.message });

export function adminRoutes(app: Hono, deps: WebDeps, members: MemberActions, admin: AdminActions, files: StaticFiles) {
  const { page, notFound } = pageAnswers(deps, files);

  /** The member and what they may administer; else the login (nobody logged in) or the 403 page. */
  async function admitted(c: Context, section: AdminSection | null): Promise<Admitted | Response> {
    const viewer = await members.viewer(c);
    if (!viewer) return c.redirect("/login", 303);
    const may = await admin.capabilities(viewer.did);
    if (section === null ? !administers(may) : !mayOpen(section, may))
      return page(
        c,
        (f) => <ForbiddenPage frame={f} message="Your role in this forum does not permit administering it." />,
        403,
      );
    return { viewer, may };
  }

  const posted = formPosts(deps, members, files);
  /**
   * Every form posted to /admin comes through here: the forms' one check
   * (origin, login, token), then the member must be admitted to the section.
   * Else the answer that says why not, before anything is looked at.
   */
  async function postedForm(c: Context, section: AdminSection) {
    const post = await posted(c);
    if (post instanceof Response) return post;
    const at = await admitted(c, section);
    if (at instanceof Response) return at;
    const field = (name: string) => post.form[name] ?? "";
    const place: PlaceForm = { name: field("name"), description: field("description"), sortOrder: field("sortOrder") };
    return { ...at, field, place };
  }

  async function categoryOf(id: string | undefined) {
    const number = idOf(id);
    return number === null ? undefined : (await admin.structure()).find((category) => category.id === String(number));
  }
  async function boardOf(id: string | undefined) {
    const number = idOf(id);
    if (number === null) return undefined;
    for (const category of await admin.structure()) {
      const board = category.boards.find((b) => b.id === String(number));
      if (board) return { board, category };
    }
    return undefined;
  }

  app.get("/admin", async (c) => {
    const at = await admitted(c, null);
    if (at instanceof Response) return at;
    return page(c, (f) => <AdminIndexPage frame={f} may={at.may} />);
  });

  // Structure.
  async function structurePage(c: Context, at: Admitted, form: PlaceForm, problem: FieldProblem | null, status = 200) {
    const categories = await admin.structure();
    return page(
      c,
      (f) => (
        <StructurePage
          frame={f}
          viewer={at.viewer}
          may={at.may}
          categories={categories}
          form={form}
          problem={problem}
        />
      ),
      status,
    );
  }

  app.get("/admin/structure", async (c) => {
    const at = await admitted(c, "structure");
    if (at instanceof Response) return at;
    return structurePage(c, at, EMPTY_PLACE, null);
  });

  app.post("/admin/categories", async (c) => {
    const at = await postedForm(c, "structure");
    if (at instanceof Response) return at;
    const input = placeInputOf(at.place);
    if (isProblem(input)) return structurePage(c, at, at.place, input, 400);
    const done = await admin.addCategory(at.viewer.did, input);
    if (done.ok) return c.redirect("/admin/structure", 303);
    return structurePage(c, at, at.place, problemOf(done), done.status);
  });

  const categoryPage = async (
    c: Context,
    at: Admitted,
    category: NonNullable<Awaited<ReturnType<typeof categoryOf>>>,
    forms: { form?: PlaceForm; board?: PlaceForm; problem?: FieldProblem; refused?: "category" | "board" },
    status = 200,
  ) =>
    page(
      c,
      (f) => (
        <CategoryPage
          frame={f}
          viewer={at.viewer}
          may={at.may}
          category={category}
          form={forms.form ?? placeFormOf(category)}
          board={forms.board ?? EMPTY_PLACE}
          problem={forms.problem ?? null}
          refused={forms.refused ?? null}
        />
      ),
      status,
    );

  app.get("/admin/categories/:id", async (c) => {
    const at = await admitted(c, "structure");
    if (at instanceof Response) return at;
    const category = await categoryOf(c.req.param("id"));
    if (!category) return notFound(c, "There is no such category.");
    return categoryPage(c, at, category, {});
  });

  app.post("/admin/categories/:id", async (c) => {
    const at = await postedForm(c, "structure");
    if (at instanceof Response) return at;
    const category = await categoryOf(c.req.param("id"));
    if (!category) return notFound(c, "There is no such category.");
    const input = placeInputOf(at.place);
    const done = isProblem(input) ? null : await admin.editCategory(at.viewer.did, Number(category.id), input);
    if (done?.ok) return c.redirect("/admin/structure", 303);
    const problem = done ? problemOf(done) : (input as FieldProblem);
    return categoryPage(c, at, category, { form: at.place, problem, refused: "category" }, done?.status ?? 400);
  });

  app.post("/admin/categories/:id/boards", async (c) => {
    const at = await postedForm(c, "structure");
    if (at instanceof Response) return at;
    const category = await categoryOf(c.req.param("id"));
    if (!category) return notFound(c, "There is no such category.");
    const input = placeInputOf(at.place);
    const done = isProblem(input) ? null : await admin.addBoard(at.viewer.did, Number(category.id), input);
    if (done?.ok) return c.redirect("/admin/structure", 303);
    const problem = done ? problemOf(done) : (input as FieldProblem);
    return categoryPage(c, at, category, { board: at.place, problem, refused: "board" }, done?.status ?? 400);
  });

  app.get("/admin/boards/:id", async (c) => {
    const at = await admitted(c, "structure");
    if (at instanceof Response) return at;
    const found = await boardOf(c.req.param("id"));
    if (!found) return notFound(c, "There is no such board.");
    return page(c, (f) => (
      <BoardPage frame={f} viewer={at.viewer} may={at.may} {...found} form={placeFormOf(found.board)} problem={null} />
    ));
  });

  app.post("/admin/boards/:id", async (c) => {
    const at = await postedForm(c, "structure");
    if (at instanceof Response) return at;
    const found = await boardOf(c.req.param("id"));
    if (!found) return notFound(c, "There is no such board.");
    const input = placeInputOf(at.place);
    const done = isProblem(input) ? null : await admin.editBoard(at.viewer.did, Number(found.board.id), input);
    if (done?.ok) return c.redirect("/admin/structure", 303);
    const problem = done ? problemOf(done) : (input as FieldProblem);
    return page(
      c,
      (f) => <BoardPage frame={f} viewer={at.viewer} may={at.may} {...found} form={at.place} problem={problem} />,
      done?.status ?? 400,
    );
  });

  for (const kind of ["category", "board"] as const) {
    const path = `/admin/${kind === "category" ? "categories" : "boards"}/:id/delete`;
    const placeOf = async (id: string | undefined) =>
      kind === "category" ? await categoryOf(id) : (await boardOf(id))?.board;
    const missing = `There is no such ${kind}.`;

    app.get(path, async (c) => {
      const at = await admitted(c, "structure");
      if (at instanceof Response) return at;
      const place = await placeOf(c.req.param("id"));
      if (!place) return notFound(c, missing);
      return page(c, (f) => (
        <RemovePage frame={f} viewer={at.viewer} may={at.may} kind={kind} place={place} problem={null} />
      ));
    });

    app.post(path, async (c) => {
      const at = await postedForm(c, "structure");
      if (at instanceof Response) return at;
      const place = await placeOf(c.req.param("id"));
      if (!place) return notFound(c, missing);
      const remove = kind === "category" ? admin.removeCategory : admin.removeBoard;
      const done = await remove(at.viewer.did, Number(place.id));
      if (done.ok) return c.redirect("/admin/structure", 303);
      return page(
        c,
        (f) => (
          <RemovePage frame={f} viewer={at.viewer} may={at.may} kind={kind} place={place} problem={done.message} />
        ),
        done.status,
      );
    });
  }

  // Members and roles.
  /**
   * A page of a list whose length is known only once a page is read: a page
   * number past the end shows the last page (read again), as the board pages do.
   */
  async function pageOf<T extends { total: number }>(
    pageParam: string | undefined,
    read: (offset: number) => Promise<T>,
  ): Promise<{ paging: Paging; read: T } | null> {
    const first = paging(pageParam, Number.MAX_SAFE_INTEGER, PAGE_SIZE);
    if (!first) return null;
    const asked = await read(offsetOf(first.page, PAGE_SIZE));
    const shown = paging(pageParam, asked.total, PAGE_SIZE)!;
    return { paging: shown, read: shown.page === first.page ? asked : await read(offsetOf(shown.page, PAGE_SIZE)) };
  }

  async function membersPage(
    c: Context,
    at: Admitted,
    pageParam: string | undefined,
    problem: MemberProblem | null,
    status = 200,
  ) {
    const listed = await pageOf(pageParam, async (offset) => {
      const done = await admin.members(at.viewer.did, offset, PAGE_SIZE);
      return done.ok ? done : { ...done, total: 0 };
    });
    if (!listed) return notFound(c, "There is no such page of members.");
    const { read } = listed;
    if (!read.ok) return page(c, (f) => <ForbiddenPage frame={f} message={read.message} />, read.status);
    const roles = await admin.roles();
    return page(
      c,
      (f) => (
        <MembersPage
          frame={f}
          viewer={at.viewer}
          may={at.may}
          members={read.members}
          total={read.total}
          paging={listed.paging}
          roles={roles}
          problem={problem}
        />
      ),
      status,
    );
  }

  app.get("/admin/members", async (c) => {
    const at = await admitted(c, "members");
    if (at instanceof Response) return at;
    return membersPage(c, at, c.req.query("page"), null);
  });

  for (const change of ["role", "revoke"] as const) {
    app.post(`/admin/members/:did/${change}`, async (c) => {
      const at = await postedForm(c, "members");
      if (at instanceof Response) return at;
      const did = c.req.param("did");
      if (!DID.test(did)) return notFound(c, "There is no such member.");
      const back = at.field("back");
      const pageParam = /^\/admin\/members\?page=([1-9]\d{0,6})$/.exec(back)?.[1];
      const roleId = change === "role" ? idOf(at.field("roleId")) : null;
      const done =
        change === "revoke"
          ? await admin.revoke(at.viewer.did, did)
          : roleId === null
            ? ({ ok: false, status: 400, message: "Choose a role to grant.", field: null } as const)
            : await admin.grant(at.viewer.did, did, roleId);
      if (done.ok) return c.redirect(pageParam ? `/admin/members?page=${pageParam}` : "/admin/members", 303);
      const problem = { did, message: done.message, roleId: roleId === null ? null : String(roleId) };
      return membersPage(c, at, pageParam, problem, done.status);
    });
  }

  // What administrators read.
  app.get("/admin/log", async (c) => {
    const at = await admitted(c, "log");
    if (at instanceof Response) return at;
    const log = await pageOf(c.req.query("page"), (offset) => admin.modLog(offset, PAGE_SIZE));
    if (!log) return notFound(c, "There is no such page of the log.");
    return page(c, (f) => (
      <ModLogPage frame={f} may={at.may} entries={log.read.entries} total={log.read.total} paging={log.paging} />
    ));
  });

  app.get("/admin/backfill", async (c) => {
    const at = await admitted(c, "backfill");
    if (at instanceof Response) return at;
    const report = await pageOf(c.req.query("page"), async (offset) => {
      const done = await admin.backfill(at.viewer.did, offset, PAGE_SIZE);
      return done.ok ? done : { ...done, total: 0 };
    });
    if (!report) return notFound(c, "There is no such page of errors.");
    const { read } = report;
    if (!read.ok) return page(c, (f) => <ForbiddenPage frame={f} message={read.message} />, read.status);
    return page(c, (f) => <BackfillPage frame={f} may={at.may} report={read} paging={report.paging} />);
  });
}
