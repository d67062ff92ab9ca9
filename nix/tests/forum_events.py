"""Jetstream v1 messages for a small forum, in atBB's published record shapes.

The VM test's driver builds the forum with this and appends the messages to
the file the fake Jetstream serves. Deterministic: the same calls give the same
record keys, CIDs and times.
"""

import hashlib
import json
from datetime import datetime, timezone

S32 = "234567abcdefghijklmnopqrstuvwxyz"
B32 = "abcdefghijklmnopqrstuvwxyz234567"


def tid(time_us: int, clock_id: int = 0) -> str:
    """An AT Protocol TID (sortable base32 of the microsecond time)."""
    value = (time_us << 10) | (clock_id & 1023)
    return "".join(S32[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def cid_for(record: dict) -> str:
    """A CIDv1 (dag-cbor, sha2-256) over the record's JSON, base32."""
    digest = hashlib.sha256(json.dumps(record, separators=(",", ":")).encode()).digest()
    data = bytes([0x01, 0x71, 0x12, 0x20]) + digest
    bits = "".join(f"{byte:08b}" for byte in data)
    bits += "0" * (-len(bits) % 5)
    return "b" + "".join(B32[int(bits[i : i + 5], 2)] for i in range(0, len(bits), 5))


class ForumStream:
    def __init__(self, forum_did: str, start_us: int = 1_793_491_200_000_000, step_us: int = 1000):
        self.forum_did = forum_did
        self.time_us = start_us
        self.step_us = step_us
        self.messages: list[str] = []

    def now(self) -> str:
        return datetime.fromtimestamp(self.time_us / 1e6, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def commit(self, did: str, collection: str, record: dict, rkey: str | None = None) -> dict:
        self.time_us += self.step_us
        rkey = rkey or tid(self.time_us)
        value = {"$type": collection, **record, "createdAt": self.now()}
        cid = cid_for(value)
        commit = {"rev": tid(self.time_us), "operation": "create", "collection": collection, "rkey": rkey, "record": value, "cid": cid}
        self.messages.append(json.dumps({"did": did, "time_us": self.time_us, "kind": "commit", "commit": commit}))
        return {"uri": f"at://{did}/{collection}/{rkey}", "cid": cid}

    # Forum-owned records.
    def forum(self, name: str) -> dict:
        return self.commit(self.forum_did, "space.atbb.forum.forum", {"name": name}, rkey="self")

    def category(self, name: str) -> dict:
        return self.commit(self.forum_did, "space.atbb.forum.category", {"name": name})

    def board(self, category: dict, name: str) -> dict:
        ref = {"$type": "space.atbb.forum.board#categoryRef", "category": category}
        return self.commit(self.forum_did, "space.atbb.forum.board", {"name": name, "category": ref})

    # Members' posts, in their own repositories.
    def topic(self, did: str, forum: dict, board: dict, title: str, text: str) -> dict:
        return self.commit(did, "space.atbb.post", {
            "title": title,
            "text": text,
            "forum": {"$type": "space.atbb.post#forumRef", "forum": forum},
            "board": {"$type": "space.atbb.post#boardRef", "board": board},
        })

    def reply(self, did: str, forum: dict, root: dict, parent: dict, text: str) -> dict:
        return self.commit(did, "space.atbb.post", {
            "text": text,
            "forum": {"$type": "space.atbb.post#forumRef", "forum": forum},
            "reply": {"$type": "space.atbb.post#replyRef", "root": root, "parent": parent},
        })
