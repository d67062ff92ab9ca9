"""A fake Jetstream on loopback for the VM test.

Serves the JSON lines of EVENTS_FILE as Jetstream v1 messages: on connect,
those after the client's `cursor` (time_us), then each line appended later,
as a live Jetstream would. Usage: fake-jetstream.py EVENTS_FILE PORT
"""

import asyncio
import json
import os
import sys
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import serve

EVENTS, PORT = sys.argv[1], int(sys.argv[2])


def complete_lines(offset: int) -> tuple[list[str], int]:
    """The whole lines written after byte `offset`, and the offset after them."""
    if not os.path.exists(EVENTS):
        return [], offset
    with open(EVENTS, "rb") as events:
        events.seek(offset)
        data = events.read()
    whole = data[: data.rfind(b"\n") + 1]
    return [line for line in whole.decode().splitlines() if line.strip()], offset + len(whole)


async def follow(connection):
    query = parse_qs(urlparse(connection.request.path).query)
    cursor = int(query["cursor"][0]) if "cursor" in query else None
    offset = 0
    while True:
        lines, offset = complete_lines(offset)
        for line in lines:
            if cursor is None or json.loads(line)["time_us"] > cursor:
                await connection.send(line)
        await asyncio.sleep(0.2)


async def main():
    async with serve(follow, "127.0.0.1", PORT) as server:
        await server.serve_forever()


asyncio.run(main())
