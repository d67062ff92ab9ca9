// Cross-record rules the lexicons cannot express: what a record may point at.
// One rule per collection (a collection without one does not compile); a
// returned reason rejects the record as `bad_reference`.
// References are read in either form atBB records have taken (wrapped, as
// published, or flat): @atbb/lexicon's readers hide the difference.
import {
  boardRefOf,
  categoryRefOf,
  defaultRoleOf,
  forumRefOf,
  ids,
  modActionKindOf,
  parseRecordUri,
  recordUri,
  roleRefOf,
  type Collection,
  type ModActionKind,
  type RecordTypes,
} from "@atbb/lexicon";

type Rule<C extends Collection> = (record: RecordTypes[C], forumDid: string, rkey: string) => string | null;

const USER_ACTIONS = new Set<ModActionKind>(["ban", "unban"]);

export const referenceRules: { [C in Collection]: Rule<C> } = {
  [ids.forum]: (record, forumDid) =>
    checkReference(defaultRoleOf(record)?.uri, ids.role, forumDid, "forum.defaultRole"),
  [ids.category]: () => null,
  [ids.role]: () => null,
  [ids.board]: (record, forumDid) =>
    checkReference(categoryRefOf(record).uri, ids.category, forumDid, "board.category"),
  [ids.membership]: (record, forumDid) =>
    forumRefOf(record).uri !== recordUri(forumDid, ids.forum, "self")
      ? "membership.forum must point at this forum's space.atbb.forum.forum/self"
      : checkReference(roleRefOf(record)?.uri, ids.role, forumDid, "membership.role"),
  // A grant lives at the member's DID, so a member holds at most one.
  [ids.roleAssignment]: (record, forumDid, rkey) =>
    record.did !== rkey
      ? "roleAssignment.did must be the record key (the member's DID)"
      : checkReference(roleRefOf(record).uri, ids.role, forumDid, "roleAssignment.role"),
  [ids.post]: (record, forumDid) => {
    if (record.reply) {
      return (
        checkReference(record.reply.root.uri, ids.post, null, "reply.root") ??
        checkReference(record.reply.parent.uri, ids.post, null, "reply.parent") ??
        (record.quote ? checkReference(record.quote.post.uri, ids.post, null, "quote.post") : null)
      );
    }
    if (record.quote) return "only a reply quotes: a topic has no quote";
    const board = boardRefOf(record);
    if (!board) return "a topic (a post without reply) needs a board";
    return (
      checkReference(board.uri, ids.board, forumDid, "post.board") ??
      checkReference(forumRefOf(record)?.uri, ids.forum, forumDid, "post.forum")
    );
  },
  [ids.modAction]: (record) => {
    const kind = modActionKindOf(record);
    if (kind === null) return `unknown action ${JSON.stringify(record.action).slice(0, 40)}`;
    const { did, post } = record.subject;
    if ((did === undefined) === (post === undefined)) return "subject must name exactly one of did or post";
    if (USER_ACTIONS.has(kind) !== (did !== undefined)) {
      return `${kind} needs a ${USER_ACTIONS.has(kind) ? "did" : "post"} subject`;
    }
    return checkReference(post?.uri, ids.post, null, "subject.post");
  },
};

/** Null when fine, else why the reference is not acceptable. `owner`: the DID whose record it must be, if any. */
export function checkReference(
  uri: string | undefined,
  expected: Collection,
  owner: string | null,
  what: string,
): string | null {
  if (uri === undefined) return null;
  const target = parseRecordUri(uri);
  if (!target) return `${what} is not a record at-uri`;
  if (target.collection !== expected) return `${what} must point at a ${expected} record`;
  if (owner !== null && target.did !== owner) return `${what} must point at the forum account's record`;
  return null;
}
