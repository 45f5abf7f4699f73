"""Render plans as AblationBench trajectory Markdown and parse such files back.

The layout is the one of the benchmark's project page: a style block, a title line
``# planner/model/paper_id``, a blue reasoning box, and a plan box that is purple for the author
task and green for the reviewer task. ``render_trajectory(parse_trajectory(text)) == text`` holds
byte for byte for every published file.
"""

from __future__ import annotations

import re

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)

from ablab.errors import TrajectoryFormatError
from ablab.schema import Ablation, Action, Design, Mode, Plan, Trajectory, TrajectoryLayout

STYLE_BLOCK = (
    "<style>\n"
    ".trajectory-box strong {\n"
    "  color: #1a1a1a !important;\n"
    "}\n"
    ".trajectory-box h3 {\n"
    "  color: #1a1a1a !important;\n"
    "}\n"
    "</style>\n"
)

_BOX = (
    '<div style="background: linear-gradient(135deg, {light} 0%, {mid} 100%); '
    "border-left: 5px solid {border}; padding: 20px; margin: 20px 0; border-radius: 8px; "
    'box-shadow: 0 2px 8px rgba(0,0,0,0.1); color: #1a1a1a;" class="trajectory-box">\n'
    '<h2 style="color: {heading}; margin-top: 0; margin-bottom: 15px; font-size: 1.3em;">'
    "{title}</h2>\n\n"
)

REASONING_BOX = _BOX.format(
    light="#e3f2fd", mid="#bbdefb", border="#2196f3", heading="#1976d2", title="🧠 Reasoning Trace"
)
PLAN_BOXES = {
    Mode.AUTHOR: _BOX.format(
        light="#f3e5f5",
        mid="#e1bee7",
        border="#9c27b0",
        heading="#7b1fa2",
        title="📋 Ablation Plan",
    ),
    Mode.REVIEWER: _BOX.format(
        light="#e8f5e8",
        mid="#c8e6c9",
        border="#4caf50",
        heading="#2e7d32",
        title="📋 Ablation Plan",
    ),
}
_CLOSE = "</div>"
_MOJIBAKE_MARK = "ðŸ§  Reasoning Trace"  # the reasoning box title once decoded as cp1252


# Every character str.splitlines() breaks on: a field must stay on its line.
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]\s*")


def _one_line(text: str) -> str:
    """Fields are single lines in the layout: fold each line break a model produced (and the
    whitespace around it) into one space. Anything else is kept verbatim, as the published
    files keep it (a TAB inside a formula, a double space after ``-``)."""
    if not _LINE_BREAK.search(text):
        return text
    return _LINE_BREAK.sub(" ", text).strip()


def _render_ablation(ablation: Ablation) -> str:
    lines = [
        f"### {_one_line(ablation.name)}",
        f"- **Ablated Part**: {_one_line(ablation.ablated_part)}",
        f"- **Action**: {ablation.action.value}",
    ]
    # The published layout writes the Replacement line only when it lists something (an ADD
    # without alternatives has none).
    if ablation.action is not Action.REMOVE and ablation.replacement:
        lines.append("- **Replacement**: ")
        lines.extend(f"  - {_one_line(item)}" for item in ablation.replacement or [])
    lines.append(f"- **Metrics**: {', '.join(_one_line(m) for m in ablation.metrics)}")
    if ablation.design is not None:
        lines.extend(_render_design(ablation.design))
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:g}"


def _render_design(design: Design) -> list[str]:
    """ablab's design fields, after the AblationBench ones; only those that are filled."""
    lines = []
    if design.question:
        lines.append(f"- **Question**: {_one_line(design.question)}")
    if design.expected_outcome:
        lines.append(f"- **Expected Outcome**: {_one_line(design.expected_outcome)}")
    if design.controls:
        lines.append("- **Controls**: ")
        lines.extend(f"  - {_one_line(item)}" for item in design.controls)
    if design.priority:
        lines.append(f"- **Priority**: {design.priority}")
    if design.relative_cost is not None:
        lines.append(f"- **Relative Cost**: {_number(design.relative_cost)}")
    if design.run_order is not None:
        lines.append(f"- **Run Order**: {design.run_order}")
    return lines


def render_trajectory(trajectory: Trajectory) -> str:
    """Render a trajectory to Markdown exactly as the published files are laid out."""
    layout = trajectory.layout
    blocks = "\n\n".join(_render_ablation(a) for a in trajectory.ablations)
    gap = "\n\n" if layout.blank_before_close else "\n"
    text = (
        f"{STYLE_BLOCK}\n"
        f"# {trajectory.planner}/{trajectory.model}/{trajectory.paper_id}\n\n"
        f"{REASONING_BOX}{trajectory.reasoning}\n{_CLOSE}\n\n"
        f"{PLAN_BOXES[trajectory.mode]}{blocks}{gap}{_CLOSE}"
    )
    if layout.trailing_newline:
        text += "\n"
    if layout.mojibake:
        text = text.encode("utf-8").decode("sloppy-windows-1252")
    return text


def render_plan_markdown(plan: Plan) -> str:
    """Render a plan as trajectory Markdown (published layout, trailing newline added)."""
    trajectory = Trajectory.from_plan(plan)
    trajectory.layout.trailing_newline = True
    return render_trajectory(trajectory)


_TITLE_RE = re.compile(r"^# (?P<title>[^\n]+)\n\n", re.M)
_FIELD_RE = re.compile(r"^- \*\*(?P<key>[A-Za-z ]+)\*\*: ?(?P<value>.*)$")


def _fix_mojibake(text: str) -> tuple[str, bool]:
    # Judged by the layout's own box title, never by the fields: a plan may quote "ðŸ".
    if REASONING_BOX in text or _MOJIBAKE_MARK not in text:
        return text, False

    try:
        return text.encode("sloppy-windows-1252").decode("utf-8"), True
    except UnicodeError as exc:
        raise TrajectoryFormatError(f"garbled encoding that cannot be repaired: {exc}") from exc


_LIST_FIELDS = ("replacement", "controls")


def _parse_ablation(block: str, where: str) -> Ablation:
    lines = block.split("\n")
    name = lines[0]
    fields: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[1:]:
        if line.startswith("  - "):
            if current is None:
                raise TrajectoryFormatError(f"{where}: list item outside Replacement: {line!r}")
            current.append(line[4:])
            continue
        match = _FIELD_RE.match(line)
        if not match:
            raise TrajectoryFormatError(f"{where}: unexpected line in ablation {name!r}: {line!r}")
        key = match["key"].strip().lower()
        current = lists.setdefault(key, []) if key in _LIST_FIELDS else None
        fields[key] = match["value"]
    missing = {"ablated part", "action"} - fields.keys()
    if missing:
        raise TrajectoryFormatError(
            f"{where}: ablation {name!r} lacks {', '.join(sorted(missing))}"
        )
    try:
        action = Action(fields["action"].strip().upper())
    except ValueError as exc:
        raise TrajectoryFormatError(f"{where}: unknown action {fields['action']!r}") from exc
    metrics_text = fields.get("metrics", "")
    return Ablation(
        name=name,
        ablated_part=fields["ablated part"],
        action=action,
        replacement=lists.get("replacement"),
        metrics=metrics_text.split(", ") if metrics_text else [],
        design=_parse_design(fields, lists, f"{where}: ablation {name!r}"),
    )


def _parse_design(fields: dict[str, str], lists: dict[str, list[str]], where: str) -> Design:
    """ablab's design fields (absent from published trajectories: then an empty design)."""
    priority = fields.get("priority", "").strip().lower() or None
    if priority not in (None, "high", "medium", "low"):
        raise TrajectoryFormatError(f"{where}: priority must be high, medium or low")
    try:
        cost = fields.get("relative cost", "").strip()
        order = fields.get("run order", "").strip()
        return Design(
            question=fields.get("question") or None,
            expected_outcome=fields.get("expected outcome") or None,
            controls=lists.get("controls", []),
            priority=priority,  # type: ignore[arg-type]  # checked above
            relative_cost=float(cost) if cost else None,
            run_order=int(order) if order else None,
        )
    except ValueError as exc:
        first = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)
        raise TrajectoryFormatError(f"{where}: bad relative cost or run order ({first})") from None


def parse_trajectory(text: str, where: str = "<trajectory>") -> Trajectory:
    """Parse trajectory Markdown; raises TrajectoryFormatError with a precise message."""
    text, mojibake = _fix_mojibake(text)
    trailing_newline = text.endswith("\n")
    body = text[:-1] if trailing_newline else text
    title_match = _TITLE_RE.search(body)
    if not body.startswith(STYLE_BLOCK) or not title_match:
        raise TrajectoryFormatError(
            f"{where}: not a trajectory (style block or title line missing)"
        )
    parts = title_match["title"].split("/")
    if len(parts) < 3:
        raise TrajectoryFormatError(f"{where}: title must be planner/model/paper_id")
    planner, model, paper_id = parts[0], "/".join(parts[1:-1]), parts[-1]
    rest = body[title_match.end() :]
    if not rest.startswith(REASONING_BOX):
        raise TrajectoryFormatError(f"{where}: reasoning box missing after the title")
    rest = rest[len(REASONING_BOX) :]
    # The plan box is the last box: the reasoning may quote the other box's markup.
    separators = {m: f"\n{_CLOSE}\n\n{box}" for m, box in PLAN_BOXES.items()}
    mode = max(separators, key=lambda m: rest.rfind(separators[m]))
    separator = separators[mode]
    at = rest.rfind(separator)
    if at < 0:
        raise TrajectoryFormatError(f"{where}: plan box (purple or green) missing")
    reasoning, plan_body = rest[:at], rest[at + len(separator) :]
    if not plan_body.endswith(_CLOSE):
        raise TrajectoryFormatError(f"{where}: plan box is not closed with </div>")
    plan_body = plan_body[: -len(_CLOSE)]
    blank_before_close = plan_body.endswith("\n\n") or plan_body == ""
    plan_body = plan_body.removesuffix("\n").removesuffix("\n")
    blocks = [b for b in re.split(r"(?:^|\n\n)### ", plan_body) if b]
    if plan_body and not plan_body.startswith("### "):
        raise TrajectoryFormatError(f"{where}: plan box must start with a '### ' heading")
    ablations = [_parse_ablation(b, where) for b in blocks]
    return Trajectory(
        planner=planner,
        model=model,
        paper_id=paper_id,
        mode=mode,
        reasoning=reasoning,
        ablations=ablations,
        layout=TrajectoryLayout(
            blank_before_close=blank_before_close,
            trailing_newline=trailing_newline,
            mojibake=mojibake,
        ),
    )
