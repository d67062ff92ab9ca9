// The pages' view of read marks: their ids are strings (as the API shows
// them), the store's are numbers.
import type { DatabaseHandle } from "@atbb/db";
import type { ReadMarks } from "@atbb/web";
import { topicReadMarks } from "./topic-reads.ts";

export function pageReadMarks(database: DatabaseHandle): ReadMarks {
  const marks = topicReadMarks(database);
  return {
    async unread(did, topicIds) {
      const unread = await marks.unread(did, topicIds.map(Number));
      return new Set([...unread].map(String));
    },
    firstUnread: (did, topicId) => marks.firstUnread(did, Number(topicId)),
    seen: (did, topicId, postIds) => marks.seen(did, Number(topicId), postIds.map(Number)),
    boardRead: (did, boardId) => marks.boardRead(did, Number(boardId)),
  };
}
