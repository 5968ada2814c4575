"""A tab closed during a live run: how long until the next visitor in line starts training.

Visitor A opens the Compare lab with settings that train for minutes (?cmp_epochs=40&cmp_hidden=128),
presses Train live and, once it trains, goes away; visitor B presses Train live meanwhile and waits in
line. Measured: from A's going away to B's page saying "Training live". Three ways of going away:

- "closed": the tab is closed (the websocket's close handshake): Streamlit marks A's session
  disconnected, A's page stops sending heartbeats and the worker stops the run once it has gone
  ui.compare_ui.UNREAD_LIMIT_S unread, within one batch (the epoch under way is undone);
- "reset": the connection is cut with a TCP reset (a proxy or a server restart in between): the same;
- "silent": the connection stays open but nothing comes back (a laptop lid shut, Wi-Fi gone): the
  server believes the session connected until its websocket pings go unanswered
  (``server.websocketPingInterval``), then as above.

Before the worker process, a run held the turn until its fair share (60 s, with someone waiting) or
its 240 s limit. Never a pass/fail.

    python -m benchmarks.closed_tab [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.streamlit_client import StreamlitClient, _element_text, click
from tests.browser.harness import run_async, streamlit_server

LONG = "cmp_epochs=40&cmp_hidden=128&cmp_distance=60&cmp_batch=8"
# The page's status line once the visitor has the turn: "**Training live**: writing the sentences...",
# then "**Training live**: 5% done, 3 s." (ui/compare_ui.py).
TRAINING = re.compile(r"\*\*Training live\*\*:")
WAITING = re.compile(r"In line for training")
LIMIT_S = 300.0
HOW = ("closed", "reset", "silent")
DESCRIBED = {"closed": "tab closed", "reset": "connection reset", "silent": "connection lost silently"}


@dataclass
class Handover:
    how: str  # "closed", "reset" or "silent"
    seconds: float  # A gone -> B's page says "Training live"


async def read(client: StreamlitClient, watch: dict[re.Pattern, asyncio.Event]) -> None:
    """Read the session's messages for good; set each event once an element's text matches its pattern."""
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await client._ws.recv())
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            text = _element_text(msg.delta.new_element)
            for pattern, event in watch.items():
                if pattern.search(text):
                    event.set()


async def press_train(url: str, watch: dict[re.Pattern, asyncio.Event]) -> tuple[StreamlitClient, asyncio.Task, str]:
    client = await StreamlitClient(url).__aenter__()
    lab = await client.open("compare", LONG)
    await client.send([click(lab.widget_id("button", "cmp_train"))])
    return client, asyncio.create_task(read(client, watch)), lab.widget_id("button", "cmp_stop")


async def cancelled(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


async def handover(url: str, how: str) -> Handover:
    a_training = asyncio.Event()
    a, a_reader, _ = await press_train(url, {TRAINING: a_training})
    await asyncio.wait_for(a_training.wait(), LIMIT_S)
    b_waiting, b_training = asyncio.Event(), asyncio.Event()
    b, b_reader, b_stop = await press_train(url, {WAITING: b_waiting, TRAINING: b_training})
    await asyncio.wait_for(b_waiting.wait(), LIMIT_S)
    gone = time.monotonic()
    if how == "silent":
        await cancelled(a_reader)
        a._ws.transport.pause_reading()  # reads nothing more, answers no ping: the server learns nothing
    else:
        await cancelled(a_reader)
        if how == "closed":
            await a._ws.close()
        else:
            a._ws.transport.abort()
    await asyncio.wait_for(b_training.wait(), LIMIT_S)
    seconds = time.monotonic() - gone
    await cancelled(b_reader)
    await b.send([click(b_stop)])  # B's long run ends at its next epoch, so the next measurement starts clean
    await asyncio.sleep(1.0)
    await b.__aexit__(None, None, None)
    a._ws.transport.abort()
    return Handover(how, seconds)


def measure(url: str | None = None) -> list[Handover]:
    async def every_way(target: str) -> list[Handover]:
        return [await handover(target, how) for how in HOW]

    if url:
        return run_async(every_way(url))
    with streamlit_server() as server:
        return run_async(every_way(server.url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for result in measure(args.url):
        print(f"| {DESCRIBED[result.how]} during a live run -> the next visitor in line training, s | "
              f"{result.seconds:.1f} |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
