"""Saved sessions as history: list them, summarize each, follow one scenario across attempts.

Pure: folders and session documents in, plain data out. A folder whose session.json is missing,
corrupt or unreadable becomes a `Problem` (reported and skipped by the caller), never an
exception that hides the good sessions next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mockvoice.analysis.flags import FlagId
from mockvoice.clock import clock
from mockvoice.errors import SessionError, UsageError
from mockvoice.session import store as session
from mockvoice.session.document import AnswerPart, DrillAttempt, SectionResult, SessionDocument
from mockvoice.session.scorecard import budget_range

SPARK = "▁▂▃▄▅▆▇█"
LATEST = "latest"


@dataclass(frozen=True)
class Saved:
    """One readable session: its folder, its document, and when it was made."""

    folder: Path
    doc: SessionDocument
    created: datetime

    @property
    def name(self) -> str:
        return self.folder.name


@dataclass(frozen=True)
class Problem:
    folder: Path
    message: str  # one line: the file, what is wrong, what happens to it


# --- reading the recordings root -----------------------------------------------------------------


def scan(root: Path) -> tuple[list[Saved], list[Problem]]:
    """Every session folder under `root`, oldest first, and the folders that could not be read."""
    if not root.is_dir():
        if root.exists():
            raise SessionError(
                f"{root}: not a folder — pass --recordings DIR, the folder that holds your session folders"
            )
        return [], []
    saved: list[Saved] = []
    problems: list[Problem] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            saved.append(read(folder))
        except SessionError as exc:
            problems.append(Problem(folder, f"{exc} — skipped"))
    saved.sort(key=lambda s: (s.created, s.name))
    return saved, problems


def read(folder: Path) -> Saved:
    """Load one folder as a validated document (its header, `created` an ISO date, is checked
    there: a document without what a listing needs is a SessionError)."""
    doc = session.load_document(folder)
    created = datetime.fromisoformat(doc.created)
    return Saved(folder, doc, created if created.tzinfo else created.astimezone())


MAX_NUMBER_DIGITS = 3  # a SESSION of up to this many digits is a number from the listing


def resolve(root: Path, spec: str, among: Callable[[Saved], bool] | None = None) -> Saved:
    """A SESSION argument: the number the listing shows (1 is the oldest), a folder (or its
    session.json), a folder name under the root, `latest` / `latest~N` (N sessions before the
    newest), or a unique prefix of a folder name. `among` restricts what `latest~N` counts (the
    sessions a command can use: `compare` counts analyzed answers of one scenario)."""
    path = Path(spec)
    if path.name == session.SESSION_FILE and path.is_file():
        path = path.parent
    if path.is_dir() and (path / session.SESSION_FILE).exists():
        return read(path)
    if (root / spec).is_dir():
        return read(root / spec)
    saved, _ = scan(root)
    if spec.isdigit() and len(spec) <= MAX_NUMBER_DIGITS:
        return _numbered(root, saved, int(spec))
    if spec == LATEST or spec.startswith(LATEST + "~"):
        return _nth_latest(root, [s for s in saved if among is None or among(s)], spec)
    matches = [s for s in saved if s.name.startswith(spec)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(s.name for s in matches[:4]) + (" …" if len(matches) > 4 else "")
        raise UsageError(
            f"SESSION {spec!r}: matches {len(matches)} sessions ({names}) — give more of the name"
        )
    raise UsageError(
        f"SESSION {spec!r}: no such session folder in {root} — run 'mockvoice review' to list them "
        "(or pass --recordings DIR)"
    )


def _numbered(root: Path, saved: Sequence[Saved], number: int) -> Saved:
    if not 1 <= number <= len(saved):
        raise UsageError(
            f"SESSION {number}: the sessions in {root} are numbered 1 to {len(saved)} — "
            "run 'mockvoice review' to list them"
        )
    return saved[number - 1]


def _nth_latest(root: Path, saved: Sequence[Saved], spec: str) -> Saved:
    back = spec[len(LATEST) + 1 :] if "~" in spec else "0"
    if not back.isdigit():
        raise UsageError(f"SESSION {spec!r}: use latest or latest~N (N a number)")
    if int(back) >= len(saved):
        raise UsageError(f"SESSION {spec!r}: only {len(saved)} such sessions in {root}")
    return saved[-1 - int(back)]


def comparable(saved: Saved) -> bool:
    """A session `compare` can use: an analyzed answer (analyze, or a mock that got as far as its
    scorecard) — not a drill, a study or a mock stopped during the answer."""
    return saved.doc.is_analyzed


# --- one line per session --------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    name: str
    created: datetime
    scenario: str
    mode: str
    level: str
    time: str  # "1:42 / 2:00-3:00" or "—"
    time_verdict: str  # ok | over | under | ""
    sections: str  # "over: Action · under: Task" or "ok"
    phrases: str  # "12/20" or "—"
    flags: str  # count, or "—"
    note: str  # partial, quiz score, drill attempts…

    def cells(self, handle: str | None = None) -> list[str]:
        """The row; `handle` is what to type as SESSION (the listing's number; default: the whole
        folder name)."""
        date = self.created.strftime("%Y-%m-%d %H:%M")
        time = f"{self.time} {self.time_verdict}".strip()
        return [handle or self.name, date, self.scenario, self.mode, self.level, time, self.sections,
                self.phrases, self.flags, self.note]  # fmt: skip


COLUMNS = ["#", "date", "scenario", "mode", "level", "time", "sections", "phrases", "flags", "note"]


def summarize(s: Saved) -> Summary:
    """The listing row: what a glance at this rehearsal should tell, in any mode."""
    doc = s.doc
    base = {"name": s.name, "created": s.created, "scenario": doc.scenario, "mode": doc.mode}
    notes = []
    if doc.partial:
        notes.append("interrupted" if doc.interrupted else "partial")
    if doc.attempts is not None:
        return Summary(**base, **_drill_cells(doc), note=" ".join([*notes, _attempts(doc.attempts)]))
    if doc.quiz is not None:
        notes.append(f"quiz {doc.quiz.score}/{doc.quiz.total}")
    if doc.followups:
        notes.append(f"{len(doc.followups)} follow-ups")
    if doc.verdict is not None:
        notes.append(doc.verdict.verdict)
    return Summary(**base, **_answer_cells(doc), note=" · ".join(n for n in notes if n))


NO_CELLS = {"time": "—", "time_verdict": "", "sections": "—", "phrases": "—", "flags": "—"}


def _answer_cells(doc: SessionDocument) -> dict:
    level = doc.level or "—"
    if doc.sections is None or doc.total is None:
        return {"level": level, **NO_CELLS}
    total = doc.total
    return {
        "level": level,
        "time": f"{clock(total.speaking_s)} / {_budget(total.budget_min_s, total.budget_max_s)}",
        "time_verdict": total.verdict,
        "sections": _section_verdicts([(s.name, s.verdict) for s in doc.sections]),
        "phrases": f"{doc.found_count()}/{doc.phrase_count()}",
        "flags": str(len(doc.flags or [])),
    }


def _budget(low: float | None, high: float | None) -> str:
    return "?" if high is None else budget_range(low, high, "-")


def _section_verdicts(sections: Sequence[tuple[str, str | None]]) -> str:
    """'over: Action · under: Task' from (name, verdict) pairs, or 'ok'."""
    parts = []
    for verdict in ("over", "under", "missing"):
        names = [name for name, v in sections if v == verdict]
        if names:
            parts.append(f"{verdict}: {', '.join(names)}")
    return " · ".join(parts) or "ok"


def _drill_cells(doc: SessionDocument) -> dict:
    last = doc.latest_attempts()
    if not last:
        return {"level": "—", **NO_CELLS}
    phrases = [k for att in last for k in att.key_phrases or []]
    return {
        "level": "—",
        "time": clock(sum(att.duration_s or 0 for att in last)),
        "time_verdict": "",
        "sections": _section_verdicts([(att.section.title(), att.verdict) for att in last]),
        "phrases": f"{sum(1 for k in phrases if k.found)}/{len(phrases)}",
        "flags": str(sum(len(att.flags or []) for att in last)),
    }


def _attempts(attempts: Sequence[DrillAttempt]) -> str:
    n = len(attempts)
    return f"{n} attempt{'s' if n != 1 else ''}"


# --- one scenario across attempts -------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    name: str
    created: datetime
    durations: dict[str, float | None]  # section id → seconds (None: missing)
    found: tuple[str, ...]  # key phrase labels heard
    phrases_total: int
    speaking_s: float
    fillers_per_min: float
    wpm: float

    @property
    def coverage(self) -> float:
        return len(self.found) / self.phrases_total if self.phrases_total else 0.0


@dataclass(frozen=True)
class SectionInfo:
    id: str
    name: str
    target_s: float


@dataclass(frozen=True)
class Progress:
    scenario: str
    title: str
    sections: list[SectionInfo]  # as in the newest attempt
    budget: tuple[float | None, float | None]  # the newest attempt's total budget (min, max)
    attempts: list[Attempt]  # oldest first
    skipped: int  # sessions of this scenario that hold no full answer (drill, study, unfinished)


def attempt(s: Saved) -> Attempt:
    """One analyzed answer (`doc.is_analyzed`) as a point of its scenario's progress."""
    doc = s.doc
    d = doc.delivery
    if d is None or doc.sections is None:
        raise SessionError(f"{s.folder / session.SESSION_FILE}: the answer was not analyzed")
    speaking = float(d.speaking_s or (doc.total.speaking_s if doc.total else 0.0) or 0.0)
    return Attempt(
        name=s.name,
        created=s.created,
        durations={sec.id: sec.duration_s for sec in doc.sections},
        found=tuple(k.phrase for k in doc.key_phrases or [] if k.found),
        phrases_total=doc.phrase_count(),
        speaking_s=speaking,
        fillers_per_min=round(d.fillers / speaking * 60, 2) if speaking > 0 else 0.0,
        wpm=float(d.wpm or 0.0),
    )


def progress(saved: Sequence[Saved], scenario_id: str) -> Progress:
    """Attempts of one scenario, oldest first: section times, phrase coverage, fillers, pace."""
    mine = [s for s in saved if s.doc.scenario == scenario_id]
    answers = sorted((s for s in mine if s.doc.is_analyzed), key=lambda s: (s.created, s.name))
    if not answers:
        known = sorted({s.doc.scenario for s in saved if s.doc.is_analyzed})
        hint = f"scenarios with answers: {', '.join(known)}" if known else "record or analyze an answer first"
        raise UsageError(f"progress: no analyzed answers of scenario {scenario_id!r} — {hint}")
    newest = answers[-1].doc
    total = newest.total
    return Progress(
        scenario=scenario_id,
        title=newest.scenario_title,
        sections=[SectionInfo(s.id, s.name, s.target_s) for s in newest.sections or []],
        budget=(total.budget_min_s, total.budget_max_s) if total else (None, None),
        attempts=[attempt(s) for s in answers],
        skipped=len(mine) - len(answers),
    )


def latest_scenario(saved: Sequence[Saved]) -> str:
    """The scenario of the newest analyzed answer: what `progress` shows without an ID."""
    answers = [s for s in saved if s.doc.is_analyzed]
    if not answers:
        raise UsageError("progress: no analyzed answers saved yet — run 'mockvoice analyze FILE' or 'mock'")
    return answers[-1].doc.scenario


def sparkline(values: Sequence[float | None], low: float | None = None, high: float | None = None) -> str:
    """One block character per value, scaled between low and high (default: the values' range);
    a missing value is a space."""
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    low = min(present) if low is None else low
    high = max(present) if high is None else high
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            level = 0 if span <= 0 else round((min(max(v, low), high) - low) / span * (len(SPARK) - 1))
            out.append(SPARK[level])
    return "".join(out)


# --- two attempts side by side ------------------------------------------------------------------


@dataclass(frozen=True)
class SectionDelta:
    id: str
    name: str
    target_s: float
    a_s: float | None
    b_s: float | None

    @property
    def delta_s(self) -> float | None:
        return None if self.a_s is None or self.b_s is None else round(self.b_s - self.a_s, 2)


@dataclass(frozen=True)
class Comparison:
    a: Attempt
    b: Attempt
    gained: list[str]  # heard in B, not in A (in the scenario's order)
    lost: list[str]  # heard in A, not in B
    kept: list[str]
    missing: list[str]  # in neither
    sections: list[SectionDelta]
    flags_gained: list[FlagId]  # flags raised on B, not on A
    flags_lost: list[FlagId]


def compare(a: Saved, b: Saved) -> Comparison:
    """What changed from attempt A to attempt B of the same scenario."""
    for s in (a, b):
        if not s.doc.is_analyzed:
            raise UsageError(
                f"compare: {s.name} is a {s.doc.mode} session without a full analyzed answer — "
                "compare analyze or mock sessions"
            )
    if a.doc.scenario != b.doc.scenario:
        raise UsageError(
            f"compare: {a.name} is {a.doc.scenario!r} but {b.name} is {b.doc.scenario!r} — "
            "compare two attempts of the same scenario"
        )
    aa, bb = attempt(a), attempt(b)
    labels = [k.phrase for k in b.doc.key_phrases or []]
    labels += [k.phrase for k in a.doc.key_phrases or [] if k.phrase not in labels]
    in_a, in_b = set(aa.found), set(bb.found)
    a_sections = {s.id: s for s in a.doc.sections or []}
    order = [s.id for s in b.doc.sections or []] + [i for i in a_sections if i not in bb.durations]
    by_id: dict[str, SectionResult] = a_sections | {s.id: s for s in b.doc.sections or []}
    a_flags, b_flags = a.doc.flag_ids(), b.doc.flag_ids()
    return Comparison(
        a=aa,
        b=bb,
        gained=[p for p in labels if p in in_b and p not in in_a],
        lost=[p for p in labels if p in in_a and p not in in_b],
        kept=[p for p in labels if p in in_a and p in in_b],
        missing=[p for p in labels if p not in in_a and p not in in_b],
        sections=[
            SectionDelta(i, by_id[i].name, by_id[i].target_s, aa.durations.get(i), bb.durations.get(i))
            for i in order
        ],
        flags_gained=sorted(b_flags - a_flags),
        flags_lost=sorted(a_flags - b_flags),
    )


# --- the recorded parts of a session ------------------------------------------------------------


def find_part(doc: SessionDocument, spec: str) -> AnswerPart:
    """A part by id, section name, `followupN`, or a drilled section (its last attempt)."""
    wanted = spec.strip().lower().removeprefix("drill-").replace("followup", "followup-").replace("--", "-")
    found = doc.answer_parts()
    for p in found:
        if wanted in (p.id.lower(), p.label.lower()):
            return p
    drilled = [p for p in found if p.id.rsplit("-", 1)[0] == wanted and p.id[len(wanted) + 1 :].isdigit()]
    if drilled:
        return drilled[-1]
    for s in doc.sections or []:
        if wanted in (s.id.lower(), s.name.lower()):
            raise UsageError(f"{spec}: the {s.name} section was not found in this answer — nothing to play")
    choices = ", ".join(p.id for p in found) or "none: this session has no recorded answer"
    raise UsageError(f"{spec}: no such part of this session — use one of: {choices}")


# --- table rows (shared by the rich and the plain rendering) -------------------------------------------

SHOWN_ATTEMPTS = 6  # progress shows the values of this many latest attempts; the sparkline shows all


def _secs(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}s"


def _signed(v: float | None, unit: str = "", digits: int = 0) -> str:
    return "—" if v is None else f"{v:+.{digits}f}{unit}"


def _change(values: Sequence[float | None]) -> float | None:
    """From the first to the last attempt that has a value (a section may be missing in some)."""
    present = [v for v in values if v is not None]
    return present[-1] - present[0] if len(present) > 1 else None


def progress_header(p: Progress) -> list[str]:
    shown = p.attempts[-SHOWN_ATTEMPTS:]
    first = len(p.attempts) - len(shown) + 1
    return ["", "target", *(f"#{first + i}" for i in range(len(shown))), "trend", "change"]


def progress_rows(p: Progress) -> list[list[str]]:
    """One row per section, then total time, phrase coverage, filler rate and pace."""
    atts = p.attempts
    shown = atts[-SHOWN_ATTEMPTS:]
    rows = []
    for s in p.sections:
        values = [a.durations.get(s.id) for a in atts]
        top = max([v for v in values if v is not None] + [s.target_s])
        rows.append(
            [s.name, _secs(s.target_s), *(_secs(a.durations.get(s.id)) for a in shown),
             sparkline(values, 0.0, top), _signed(_change(values), "s")]
        )  # fmt: skip
    budget = _budget(*p.budget)
    speaking = [a.speaking_s for a in atts]
    rows.append(
        ["Total", budget, *(clock(a.speaking_s) for a in shown), sparkline(speaking, 0.0),
         _signed(_change(speaking), "s")]
    )  # fmt: skip
    found = [len(a.found) for a in atts]
    rows.append(
        ["Key phrases", str(atts[-1].phrases_total), *(f"{len(a.found)}/{a.phrases_total}" for a in shown),
         sparkline([a.coverage for a in atts], 0.0, 1.0), _signed(_change(found))]
    )  # fmt: skip
    fillers = [a.fillers_per_min for a in atts]
    rows.append(
        ["Fillers/min", "", *(f"{a.fillers_per_min:.1f}" for a in shown), sparkline(fillers, 0.0),
         _signed(_change(fillers), digits=1)]
    )  # fmt: skip
    wpm = [a.wpm for a in atts]
    rows.append(
        ["Pace (wpm)", "", *(f"{a.wpm:.0f}" for a in shown), sparkline(wpm),
         _signed(_change(wpm))]
    )  # fmt: skip
    return rows


COMPARE_HEADER = ["", "target", "A", "B", "change"]


def compare_rows(c: Comparison) -> list[list[str]]:
    """Section times, total, phrases, fillers and pace of A and B, with B - A."""
    rows = [
        [s.name, _secs(s.target_s), _secs(s.a_s), _secs(s.b_s), _signed(s.delta_s, "s")] for s in c.sections
    ]
    rows.append(
        ["Total", "", clock(c.a.speaking_s), clock(c.b.speaking_s),
         _signed(c.b.speaking_s - c.a.speaking_s, "s")]
    )  # fmt: skip
    rows.append(
        ["Key phrases", "", f"{len(c.a.found)}/{c.a.phrases_total}", f"{len(c.b.found)}/{c.b.phrases_total}",
         _signed(len(c.b.found) - len(c.a.found))]
    )  # fmt: skip
    rows.append(
        ["Fillers/min", "", f"{c.a.fillers_per_min:.1f}", f"{c.b.fillers_per_min:.1f}",
         _signed(c.b.fillers_per_min - c.a.fillers_per_min, digits=1)]
    )  # fmt: skip
    rows.append(["Pace (wpm)", "", f"{c.a.wpm:.0f}", f"{c.b.wpm:.0f}", _signed(c.b.wpm - c.a.wpm)])
    return rows


def compare_notes(c: Comparison) -> list[str]:
    """The phrase and flag changes, one line each."""

    def quoted(items: Sequence[str]) -> str:
        return ", ".join(f"“{p}”" for p in items) or "none"

    lines = [f"Gained: {quoted(c.gained)}", f"Lost: {quoted(c.lost)}", f"Still missing: {quoted(c.missing)}"]
    if c.flags_gained or c.flags_lost:
        lines.append(
            f"Flags new: {', '.join(c.flags_gained) or 'none'} · gone: {', '.join(c.flags_lost) or 'none'}"
        )
    return lines


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns for pipes and logs."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    return "\n".join(lines)
