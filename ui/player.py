"""A time-step player that runs in the visitor's browser: play, pause, step back and forward, a scrubber
over t = 1..T_x and the left/right keys, highlighting x<t>, the state it reads, the cell's values and the
new state together.

Every step is computed once on the server (by rnncore.explain, as the rest of the lesson) and shipped
inside one self-contained HTML document (shown by ``st.iframe``): the numbers as JSON, the styles and a
small script inline, nothing fetched from anywhere. Playing, pausing and scrubbing change only that
document, so thirty students pressing play cost the server nothing: no rerun, no websocket message.

User text is safe: tokens travel as JSON (with ``<``, ``>`` and ``&`` escaped) and the script writes
them with ``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from ui import palette, projector

MAX_UNITS = 32  # units drawn per vector; more would only make each mark thinner (and the page heavier)
INTERVAL_MS = 900  # one step per 0.9 s while playing
DIGITS = 3


@dataclass
class Row:
    """One vector drawn at every step. ``name`` may hold {t}, {t-1} and {t+1}, filled in per step."""

    name: str
    values: list[list[float]]  # (T_x, n): one list per step
    role: str = "cell"  # "prev" (the state the step reads), "cell" (inside the cell), "state" (its output)
    low: float = -1.0
    high: float = 1.0


@dataclass
class Steps:
    tokens: list[str]
    rows: list[Row]
    equations: list[str] = field(default_factory=list)  # one plain-text line per step
    outputs: list[str] = field(default_factory=list)  # what the step predicts, one per step
    direction: str = "forward"  # "forward": steps after t are faint; "both": no step is "not yet"
    title: str = ""


def _vector(values: Sequence[float]) -> list[float]:
    return [round(float(v), DIGITS) for v in list(values)[:MAX_UNITS]]


def row(name: str, per_step, role: str = "cell", low: float = -1.0, high: float = 1.0) -> Row:
    """A Row from a (T_x, n) tensor or nested list."""
    return Row(name, [_vector(step) for step in per_step], role, low, high)


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def payload(steps: Steps, start: int = 1) -> dict:
    T_x = len(steps.tokens)
    for r in steps.rows:
        if len(r.values) != T_x:
            raise ValueError(f"player: row {r.name!r} has {len(r.values)} steps, the sentence {T_x}")
    n = max((len(r.values[0]) for r in steps.rows if r.values), default=0)
    return {
        "title": steps.title,
        "tokens": list(steps.tokens),
        "start": min(max(int(start), 1), max(T_x, 1)),
        "interval": INTERVAL_MS,
        "direction": steps.direction,
        "rows": [{"name": r.name, "role": r.role, "low": r.low, "high": r.high, "values": r.values} for r in steps.rows],
        "equations": list(steps.equations),
        "outputs": list(steps.outputs),
        "units": n,
        "colours": {"negative": palette.NEGATIVE, "positive": palette.POSITIVE, "zero": palette.WHITE,
                    "sequential": palette.BLUE, "highlight": palette.HIGHLIGHT, "contrast": palette.CONTRAST,
                    "ink": palette.INK, "muted": palette.MUTED, "faint": palette.FAINT, "fill": palette.CELL_FILL,
                    "current": palette.LIGHT_BLUE, "border": palette.BORDER},
        "scale": projector.SCALE if projector.is_on() else 1.0,
    }


def player_html(steps: Steps, start: int = 1, label: str = "Time-step player") -> str:
    data = payload(steps, start)
    # the label first: the data (a visitor's tokens) must never be searched for placeholders
    return HTML.replace("__LABEL__", html.escape(label, quote=True)).replace("__DATA__", _json_for_script(data))


def show(steps: Steps, start: int = 1, label: str = "Time-step player") -> None:
    """The player in the page, with its text alternative (``st.iframe``'s ``alt``)."""
    T_x = len(steps.tokens)
    alt = (f"{label}: plays the {T_x} steps of the sentence one after another, showing at each step the word "
           f"x⟨t⟩, the state it reads, the values inside the cell and the new state.")
    st.iframe(player_html(steps, start, label), height="content", alt=alt)
    st.caption("Plays in your browser: ◀ and ▶ step, the space bar plays and pauses, ← and → keys move t "
               "once the player has the focus (click it or Tab to it). The slider below sets the step the "
               "equations show.")


# -- what each lesson plays --------------------------------------------------------------------------------


def forward_steps(run, tokens: Sequence[str]) -> Steps:
    """The forward-pass lesson: a<t-1>, the two products, their sum and a<t> = g(sum), and ŷ<t>'s label."""
    steps, T_x = run.steps, len(tokens)
    labels = [run.labels[int(k)] for k in run.y_hat.argmax(dim=1)]
    extent = max(1.0, float(steps.z.abs().max()))
    return Steps(
        tokens=list(tokens),
        rows=[row("a⟨{t-1}⟩", steps.a_prev, "prev"),
              row("W_aa a⟨{t-1}⟩", steps.W_aa_a_prev, "cell", -extent, extent),
              row("W_ax x⟨{t}⟩", steps.W_ax_x, "cell", -extent, extent),
              row("sum + b_a", steps.z, "cell", -extent, extent),
              row("a⟨{t}⟩ = g(sum)", run.a, "state")],
        equations=[f"a⟨{t}⟩ = {steps.activation}(W_aa a⟨{t - 1}⟩ + W_ax x⟨{t}⟩ + b_a)" for t in range(1, T_x + 1)],
        outputs=[f"ŷ⟨{t}⟩: {label} ({float(run.y_hat[t - 1].max()):.2f})" for t, label in enumerate(labels, 1)],
        title="The forward pass, step by step",
    )


GATE_ROWS = {
    "gru": [("c_prev", "c⟨{t-1}⟩", "prev"), ("G_u", "Γu (update)", "gate"), ("G_r", "Γr (relevance)", "gate"),
            ("c_tilde", "c̃⟨{t}⟩ (candidate)", "cell"), ("c", "c⟨{t}⟩ = a⟨{t}⟩", "state")],
    "lstm": [("c_prev", "c⟨{t-1}⟩", "prev"), ("a_prev", "a⟨{t-1}⟩", "prev"), ("G_f", "Γf (forget)", "gate"),
             ("G_u", "Γu (update)", "gate"), ("G_o", "Γo (output)", "gate"), ("c_tilde", "c̃⟨{t}⟩ (candidate)", "cell"),
             ("c", "c⟨{t}⟩", "state"), ("a", "a⟨{t}⟩", "state")],
}
GATE_EQUATIONS = {"gru": "c⟨{t}⟩ = Γu * c̃⟨{t}⟩ + (1 − Γu) * c⟨{p}⟩",
                  "lstm": "c⟨{t}⟩ = Γu * c̃⟨{t}⟩ + Γf * c⟨{p}⟩,  a⟨{t}⟩ = Γo * tanh(c⟨{t}⟩)"}


def gate_steps(trace, tokens: Sequence[str]) -> Steps:
    """The gates lesson: the previous state, each gate (in 0..1), the candidate and the new state(s)."""
    T_x = len(tokens)
    per_step = [trace.at(t) for t in range(1, T_x + 1)]
    rows = []
    for name, title, role in GATE_ROWS[trace.arch]:
        values = [step[name] for step in per_step]
        extent = 1.0 if name not in ("c", "c_prev") else max(1.0, max(float(v.abs().max()) for v in values))
        rows.append(row(title, values, "cell" if role == "gate" else role, 0.0 if role == "gate" else -extent, extent))
    labels = [trace.labels[int(k)] for k in trace.y_hat.argmax(dim=1)]
    return Steps(
        tokens=list(tokens), rows=rows,
        equations=[GATE_EQUATIONS[trace.arch].format(t=t, p=t - 1) for t in range(1, T_x + 1)],
        outputs=[f"ŷ⟨{t}⟩: {label}" for t, label in enumerate(labels, 1)],
        title=f"The {trace.arch.upper()} cell, step by step",
    )


def bidirectional_steps(run, tokens: Sequence[str], tags: Sequence[str]) -> Steps:
    """The bidirectional lesson: each direction's state before and after step t, and the tag from both."""
    fwd, bwd = run.fwd, run.bwd
    T_x = len(tokens)
    return Steps(
        tokens=list(tokens),
        rows=[row("→a⟨{t-1}⟩", fwd.a_prev, "prev"), row("→a⟨{t}⟩", fwd.a, "state"),
              row("←a⟨{t+1}⟩", bwd.a_prev, "prev"), row("←a⟨{t}⟩", bwd.a, "state")],
        equations=[f"ŷ⟨{t}⟩ = softmax(W_y [→a⟨{t}⟩, ←a⟨{t}⟩] + b_y)" for t in range(1, T_x + 1)],
        outputs=[f"tag of x⟨{t}⟩: {tag}" for t, tag in enumerate(tags, 1)],
        direction="both",
        title="Both directions at step t",
    )


HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
  :root { --s: 1; }
  body { margin: 0; font-family: "Source Sans Pro", "Source Sans 3", system-ui, -apple-system, "Segoe UI", sans-serif;
         color: var(--ink); font-size: calc(15px * var(--s)); }
  .player { padding: 8px 4px; outline: none; }
  .player:focus-visible { outline: 3px solid var(--highlight); outline-offset: 2px; border-radius: 6px; }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 10px; }
  button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--border);
           background: white; color: var(--ink); cursor: pointer; min-width: 2.6em; }
  button:focus-visible, input:focus-visible { outline: 3px solid var(--highlight); outline-offset: 1px; }
  input[type=range] { flex: 1 1 160px; min-width: 120px; accent-color: var(--highlight); }
  .label { font-weight: 600; min-width: 7em; }
  .tokens { display: flex; gap: 6px; overflow-x: auto; padding: 2px 2px 8px; }
  .chip { flex: none; padding: 2px 8px; border-radius: 6px; border: 1px solid var(--border); white-space: pre; }
  .chip .t { font-size: 0.75em; color: var(--muted); margin-right: 4px; }
  .chip.later { color: var(--faint); border-style: dashed; }
  .chip.current { border: 3px solid var(--highlight); background: var(--current); font-weight: 700; }
  .chip.read { border: 2px solid var(--muted); }
  .eq { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 0.95em; margin: 6px 0; overflow-x: auto;
        white-space: nowrap; }
  .out { font-weight: 600; margin: 4px 0 8px; }
  .rows { display: grid; grid-template-columns: minmax(7em, max-content) 1fr; gap: 6px 10px; align-items: center; }
  .name { white-space: nowrap; }
  .name.prev { color: var(--muted); }
  .name.state { color: var(--highlight); font-weight: 700; }
  .strip { display: flex; height: calc(16px * var(--s)); border: 1px solid var(--border); border-radius: 3px; overflow: hidden; }
  .strip.state { outline: 3px solid var(--highlight); }
  .strip.prev { outline: 2px dashed var(--muted); }
  .strip span { flex: 1 1 0; min-width: 1px; }
  .nums { grid-column: 2; font-family: ui-monospace, Menlo, monospace; font-size: 0.8em; color: var(--muted);
          margin-top: -4px; overflow-x: auto; white-space: nowrap; }
</style></head>
<body>
<div id="player" class="player" tabindex="0" role="group" aria-label="__LABEL__" data-current="1" data-playing="false">
  <div class="controls">
    <button id="back" type="button" aria-label="Step back">◀</button>
    <button id="play" type="button" aria-label="Play">▶ Play</button>
    <button id="next" type="button" aria-label="Step forward">▶</button>
    <input id="scrub" type="range" min="1" max="1" value="1" step="1" aria-label="Time step t">
    <span id="label" class="label" aria-live="polite"></span>
  </div>
  <div id="tokens" class="tokens" aria-hidden="true"></div>
  <div id="eq" class="eq"></div>
  <div id="out" class="out"></div>
  <div id="rows" class="rows"></div>
</div>
<script id="steps" type="application/json">__DATA__</script>
<script>
(function () {
  const data = JSON.parse(document.getElementById("steps").textContent);
  const T = data.tokens.length, C = data.colours;
  const root = document.getElementById("player");
  for (const [k, v] of Object.entries(C)) root.style.setProperty("--" + k, v);
  document.body.style.setProperty("--s", data.scale);
  const $ = (id) => document.getElementById(id);
  const scrub = $("scrub"), playButton = $("play");
  scrub.max = String(T);
  let t = data.start, timer = null;
  window.__playerFrames = 0;  // steps drawn: read by the browser tests

  function hex(c) { return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)); }
  function mix(a, b, s) {
    const x = hex(a), y = hex(b);
    return "#" + x.map((v, i) => Math.round(v + Math.max(0, Math.min(1, s)) * (y[i] - v)).toString(16).padStart(2, "0")).join("");
  }
  function colour(v, lo, hi) {
    if (lo < 0 && hi > 0) {
      const s = Math.max(-1, Math.min(1, v / Math.max(-lo, hi)));
      return mix(C.zero, s >= 0 ? C.positive : C.negative, Math.abs(s));
    }
    return mix(C.zero, C.sequential, (v - lo) / (hi - lo || 1));
  }
  function named(template, step) {
    return template.replace("{t-1}", step - 1).replace("{t+1}", step + 1).replace("{t}", step);
  }
  function fmt(v) { return (v >= 0 ? " " : "") + v.toFixed(3); }

  const chips = data.tokens.map((token, i) => {
    const chip = document.createElement("span");
    chip.className = "chip";
    const n = document.createElement("span"); n.className = "t"; n.textContent = String(i + 1);
    chip.appendChild(n); chip.appendChild(document.createTextNode(token));
    $("tokens").appendChild(chip);
    return chip;
  });
  const rows = data.rows.map((row) => {
    const name = document.createElement("div"); name.className = "name " + row.role;
    const strip = document.createElement("div"); strip.className = "strip " + row.role;
    strip.setAttribute("role", "img");
    const cells = row.values[0].map(() => { const c = document.createElement("span"); strip.appendChild(c); return c; });
    const nums = document.createElement("div"); nums.className = "nums";
    $("rows").append(name, strip, nums);
    return {row, name, strip, cells, nums};
  });

  function draw() {
    root.dataset.current = String(t);
    scrub.value = String(t);
    $("label").textContent = "t = " + t + " of " + T;
    chips.forEach((chip, i) => {
      const s = i + 1;
      chip.className = "chip" + (s === t ? " current" : "") +
        (data.direction === "forward" && s > t ? " later" : "");
    });
    chips[t - 1].scrollIntoView({block: "nearest", inline: "nearest"});
    $("eq").textContent = data.equations[t - 1] || "";
    $("out").textContent = data.outputs[t - 1] || "";
    for (const r of rows) {
      const values = r.row.values[t - 1];
      r.name.textContent = named(r.row.name, t);
      values.forEach((v, k) => { r.cells[k].style.background = colour(v, r.row.low, r.row.high); r.cells[k].title = "unit " + (k + 1) + ": " + v; });
      const shown = values.length > 5 ? values.slice(0, 3).map(fmt).concat([" …", fmt(values[values.length - 1])]) : values.map(fmt);
      r.nums.textContent = "[" + shown.join(", ") + "]" + (data.units >= 32 ? "  (first " + values.length + " units)" : "");
      r.strip.setAttribute("aria-label", named(r.row.name, t) + ": " + shown.join(", "));
    }
    window.__playerFrames += 1;
  }
  function go(step) { t = Math.max(1, Math.min(T, step)); draw(); }
  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playButton.textContent = "▶ Play"; playButton.setAttribute("aria-label", "Play"); root.dataset.playing = "false";
  }
  function play() {
    if (t >= T) go(1);
    playButton.textContent = "❚❚ Pause"; playButton.setAttribute("aria-label", "Pause"); root.dataset.playing = "true";
    timer = setInterval(() => { if (t >= T) { pause(); } else { go(t + 1); } }, data.interval);
  }
  playButton.addEventListener("click", () => (timer === null ? play() : pause()));
  $("back").addEventListener("click", () => { pause(); go(t - 1); });
  $("next").addEventListener("click", () => { pause(); go(t + 1); });
  scrub.addEventListener("input", () => { pause(); go(parseInt(scrub.value, 10)); });
  document.addEventListener("keydown", (e) => {
    if (e.target === scrub) return;  // the range input moves itself (and fires "input")
    if (e.key === "ArrowLeft") { pause(); go(t - 1); e.preventDefault(); }
    else if (e.key === "ArrowRight") { pause(); go(t + 1); e.preventDefault(); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") { playButton.click(); e.preventDefault(); }
    else if (e.key === "Home") { pause(); go(1); e.preventDefault(); }
    else if (e.key === "End") { pause(); go(T); e.preventDefault(); }
  });
  draw();
})();
</script>
</body></html>
"""
