// The flat shapes older writers used: bare strongRefs where atBB publishes a
// wrapper, short verbs (ban) where it publishes tokens, no $type inside.
// Only the tests proving that these are still read write them.
import {
  boardRefOf,
  categoryRefOf,
  forumRefOf,
  ids,
  modActionKindOf,
  roleRefOf,
  type Collection,
  type RecordTypes,
} from "@atbb/lexicon";

export function toFlatForm<C extends Collection>(collection: C, record: RecordTypes[C]): RecordTypes[C] {
  const flat: Record<string, unknown> = { ...record };
  const set = (field: string, value: unknown) => {
    if (value !== undefined) flat[field] = value;
  };
  // Each case reads the record as the collection it is (the switch narrows the collection, not the record).
  const as = <K extends Collection>(_: K) => record as unknown as RecordTypes[K];
  switch (collection) {
    case ids.post: {
      const post = as(ids.post);
      set("forum", forumRefOf(post));
      set("board", boardRefOf(post));
      if (post.reply) set("reply", { root: post.reply.root, parent: post.reply.parent });
      break;
    }
    case ids.board:
      set("category", categoryRefOf(as(ids.board)));
      break;
    case ids.membership:
      set("forum", forumRefOf(as(ids.membership)));
      set("role", roleRefOf(as(ids.membership)));
      break;
    case ids.roleAssignment:
      set("role", roleRefOf(as(ids.roleAssignment)));
      break;
    case ids.modAction:
      set("action", modActionKindOf(as(ids.modAction)) ?? undefined);
      break;
  }
  return flat as unknown as RecordTypes[C];
}
