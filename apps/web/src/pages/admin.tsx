// The administration pages' common parts: the way between the sections (only
// those the member may use), the index of /admin, and a form's fields for a category or board.
import type { Child } from "hono/jsx";
import type { AdminCapabilities } from "../admin-deps.ts";
import { Crumbs, type Frame, Layout } from "../layout.tsx";

export type AdminSection = "structure" | "members" | "log" | "backfill";

const SECTIONS: { section: AdminSection; href: string; name: string; may: (may: AdminCapabilities) => boolean }[] = [
  { section: "structure", href: "/admin/structure", name: "Categories and boards", may: (m) => m.canManageCategories },
  { section: "members", href: "/admin/members", name: "Members and roles", may: (m) => m.canManageMembers },
  { section: "log", href: "/admin/log", name: "Moderation log", may: () => true },
  { section: "backfill", href: "/admin/backfill", name: "Backfill", may: (m) => m.canManageMembers },
];

/** Whether the member may use the administration pages at all (the moderation log is shown to all who may). */
export const administers = (may: AdminCapabilities) =>
  may.canManageCategories || may.canManageMembers || may.canManageRoles;

/** Whether this section is open to the member; the actions check again. */
export const mayOpen = (section: AdminSection, may: AdminCapabilities) =>
  administers(may) && SECTIONS.find((s) => s.section === section)!.may(may);

export function AdminLayout(props: {
  frame: Frame;
  title: string;
  may: AdminCapabilities;
  trail?: { href: string; name: string }[];
  children: Child;
}) {
  return (
    <Layout frame={props.frame} title={props.title}>
      <Crumbs trail={[{ href: "/admin", name: "Administration" }, ...(props.trail ?? [])]} />
      <nav class="tools" aria-label="Administration">
        {SECTIONS.filter((s) => mayOpen(s.section, props.may)).map((s) => (
          <a href={s.href} {...(props.frame.path === s.href ? { "aria-current": "page" } : {})}>
            {s.name}
          </a>
        ))}
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

export function AdminIndexPage(props: { frame: Frame; may: AdminCapabilities }) {
  return (
    <AdminLayout frame={props.frame} title="Administration" may={props.may}>
      <p>
        Each change here is written by the forum's account to its repository, then shown at once. What your role does
        not permit is not listed.
      </p>
    </AdminLayout>
  );
}

/** A category or board form as sent (kept as typed when it is refused). */
export interface PlaceForm {
  name: string;
  description: string;
  sortOrder: string;
}

export interface FieldProblem {
  field: keyof PlaceForm | null;
  message: string;
}

export const placeFormOf = (place: { name: string; description: string | null; sortOrder: number | null }) => ({
  name: place.name,
  description: place.description ?? "",
  sortOrder: place.sortOrder === null ? "" : String(place.sortOrder),
});

export const EMPTY_PLACE: PlaceForm = { name: "", description: "", sortOrder: "" };

/** Each field's part of its element's id (`{form}-{part}`, its refusal `{form}-{part}-error`). */
const FIELD_IDS: Record<keyof PlaceForm, string> = { name: "name", description: "description", sortOrder: "sort" };

/** Name, description and sort order, each with its refusal beside it. */
export function PlaceFields(props: { id: string; value: PlaceForm; problem: FieldProblem | null }) {
  const { id, value, problem } = props;
  const error = (field: keyof PlaceForm) =>
    problem?.field === field ? (
      <p class="error" id={`${id}-${FIELD_IDS[field]}-error`}>
        {problem.message}
      </p>
    ) : null;
  const invalid = (field: keyof PlaceForm) =>
    problem?.field === field ? { "aria-invalid": "true", "aria-describedby": `${id}-${FIELD_IDS[field]}-error` } : {};
  return (
    <>
      <div>
        <label for={`${id}-name`}>
          Name <span class="hint">(up to 100 characters)</span>
        </label>
        <input type="text" id={`${id}-name`} name="name" value={value.name} required {...invalid("name")} />
        {error("name")}
      </div>
      <div>
        <label for={`${id}-description`}>
          Description <span class="hint">(optional, up to 3000 characters)</span>
        </label>
        <textarea id={`${id}-description`} name="description" {...invalid("description")}>
          {value.description}
        </textarea>
        {error("description")}
      </div>
      <div>
        <label for={`${id}-sort`}>
          Sort order <span class="hint">(optional, 0 to 1000000: lower comes first; empty: last, by name)</span>
        </label>
        <input
          type="text"
          inputmode="numeric"
          id={`${id}-sort`}
          name="sortOrder"
          value={value.sortOrder}
          {...invalid("sortOrder")}
        />
        {error("sortOrder")}
      </div>
    </>
  );
}
