"""A Streamlit session without a browser: the app's own websocket protocol, spoken from Python.

A browser tab talks to `streamlit run` over one websocket (``/_stcore/stream``): it sends a BackMsg
``rerun_script`` holding the page and every widget's value, and the server answers with ForwardMsgs
(the page's elements as deltas, then ``script_finished``). This client sends the same messages, so the
server does exactly the work a student's tab causes, while this machine's CPUs are not spent drawing the
page. Used by benchmarks/class_load.py to put a class of thirty on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus.Name


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float  # from sending the BackMsg to script_finished
    elements: list[Element] = field(default_factory=list)
    status: str = ""

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    @property
    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of_type("exception")]

    def widget_id(self, kind: str, key: str) -> str:
        """The id of the widget of type ``kind`` created with ``key=...`` (Streamlit puts the key in the id)."""
        for widget in self.of_type(kind):
            if widget.id.endswith(f"-{key}"):
                return widget.id
        raise LookupError(f"no {kind} with key {key!r} in this run")

    def text(self) -> str:
        """Markdown, HTML and progress texts of the run, joined (enough to check what a page said)."""
        parts = [m.body for m in self.of_type("markdown")] + [h.body for h in self.of_type("html")]
        parts += [p.text for p in self.of_type("progress")] + [a.body for a in self.of_type("alert")]
        return "\n".join(parts)


class StreamlitClient:
    """One session of a Streamlit app: ``async with StreamlitClient(url) as client: await client.open("")``."""

    def __init__(self, url: str, receive_limit_s: float = 600.0, cookies: str | None = None):
        """``cookies``: a Cookie header sent with the websocket, as a browser sends the cookies its first
        page load got (behind benchmarks/replicas.py's nginx, the one that keeps a visitor on a replica);
        :func:`page_cookies` fetches them."""
        self.url = url
        self.ws_url = url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self.receive_limit_s = receive_limit_s
        self.cookies = cookies
        self.pages: dict[str, str] = {}  # url path -> page_script_hash, from the server's navigation message
        self.page_hash = ""
        self.page_name = ""
        self.query_string = ""
        self._ws = None

    async def __aenter__(self) -> StreamlitClient:
        import websockets

        headers = {"Cookie": self.cookies} if self.cookies else None
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=self.receive_limit_s, additional_headers=headers)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    async def send(self, widgets: list[WidgetState]) -> None:
        """Send a rerun and return at once (a run already reading answers picks up what follows)."""
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = self.page_hash
        back.rerun_script.page_name = self.page_name
        back.rerun_script.widget_states.widgets.extend(widgets)
        await self._ws.send(back.SerializeToString())

    async def run(self, widgets: list[WidgetState] = (), until: re.Pattern | None = None, on_text=None) -> Run:
        """Send a rerun with these widget values; collect elements until the run finishes.

        ``until``/``on_text``: called as ``on_text(seconds)`` once, the first time a progress text,
        markdown or alert matching ``until`` arrives (to time when a long run first answers).
        """
        start = time.perf_counter()
        await self.send(list(widgets))
        run = Run(0.0)
        seen = until is None
        while True:
            data = await asyncio.wait_for(self._ws.recv(), self.receive_limit_s)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                run.elements.append(element)
                if not seen and until.search(_element_text(element)):
                    seen = True
                    if on_text:
                        on_text(time.perf_counter() - start)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "script_finished":
                run.status = FINISHED(msg.script_finished)
                if run.status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # this run gave way to the next one; keep reading that one
                run.seconds = time.perf_counter() - start
                return run

    async def open(self, url_path: str, query_string: str = "") -> Run:
        """Open a page by its URL path ("" for the default page), as a click in the sidebar does, or as a
        link with ``query_string`` ("cmp_epochs=40") does."""
        self.page_name = url_path
        self.query_string = query_string
        self.page_hash = self.pages.get(url_path, "")
        run = await self.run()
        self.page_hash = self.pages.get(url_path, self.page_hash)  # known once the server has listed its pages
        return run


def page_cookies(url: str, timeout: float = 60.0) -> str:
    """The cookies a browser gets from loading ``url``'s first page, as one Cookie header ("a=1; b=2")."""
    import urllib.request

    with urllib.request.urlopen(f"{url}/", timeout=timeout) as response:
        response.read()
        set_cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0].strip() for cookie in set_cookies)


def text_value(widget_id: str, text: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=text)


def click(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def choose(widget_id: str, *labels: str) -> WidgetState:
    """A segmented control or pills set to the options shown as ``labels``."""
    state = WidgetState(id=widget_id)
    state.string_array_value.data[:] = list(labels)
    return state


def _element_text(element: Element) -> str:
    kind = element.WhichOneof("type")
    if kind == "progress":
        return element.progress.text
    if kind == "markdown":
        return element.markdown.body
    if kind == "alert":
        return element.alert.body
    return ""
