"""Plain-text renderings of the library's results, for people at a terminal.

``--json`` prints the results themselves; these functions are for everything else.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

_WIDTH = 88

#: What a terminal would act on rather than show: C0 and C1 controls but tab and
#: newline (escape sequences start with ESC), bidi overrides and isolates, and the
#: lone surrogates that bytes which are not UTF-8 become.
_ACTIVE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff]"
)


def visible(text: str) -> str:
    """``text`` with the characters a terminal acts on written as escapes (``\\x1b``)."""
    return _ACTIVE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_utf8(text: str) -> bool:
    """False when ``text`` holds bytes that were not UTF-8 (as surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 reference``, ``2 references``; ``many`` for irregular plurals."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def format_claim(claim: dict[str, Any]) -> str:
    """A claim with its evidence, several lines."""
    lines = [f"Claim {claim['id']} [{claim['status']}]{_claim_origin(claim)}"]
    lines += textwrap.wrap(
        claim["text"], _WIDTH, initial_indent="  ", subsequent_indent="  "
    )
    if not claim["evidence"]:
        lines.append("No evidence linked.")
    else:
        lines.append("Evidence:")
        lines += [format_evidence(item) for item in claim["evidence"]]
    return "\n".join(lines)


def format_evidence(item: dict[str, Any]) -> str:
    """One evidence link: stance, DOI, what is known of the work, its level and flag."""
    lines = [
        f"  {item['stance']:<11} {item['doi'] or '(no DOI)'}  {_work_summary(item)}"
    ]
    if item.get("study_design") and item["study_design"] != "unknown":
        level = item.get("evidence_level")
        design = item["study_design"].replace("_", " ")
        lines.append(f"{'':14}design: {design}, level {level if level else 'none'}")
    if item.get("flag"):
        lines.append(f"{'':14}FLAG: the work is {item['flag']} (see `tracker check`)")
    for label in ("note", "quote"):
        if item.get(label):
            lines.append(f"{'':14}{label}: {item[label]}")
    return "\n".join(lines)


def format_claim_line(claim: dict[str, Any]) -> str:
    """A claim on one line: id, status, evidence count and the start of its text."""
    count = len(claim["evidence"])
    evidence = f"{count} evidence" if count else "no evidence"
    text = textwrap.shorten(claim["text"], 60, placeholder="...")
    return f"{claim['id']:>5}  {claim['status']:<16} {evidence:<12} {text}"


def format_claim_list(claims: list[dict[str, Any]]) -> str:
    """Claims one per line, under a header; a sentence when there are none."""
    if not claims:
        return "No claims."
    header = f"{'id':>5}  {'status':<16} {'evidence':<12} claim"
    return "\n".join([header] + [format_claim_line(claim) for claim in claims])


def _claim_origin(claim: dict[str, Any]) -> str:
    if claim.get("article_id") is None:
        return ""
    where = f"article {claim['article_id']}"
    if claim.get("char_start") is not None:
        where += f", characters {claim['char_start']}-{claim['char_end']}"
    return f" ({where})"


def _work_summary(item: dict[str, Any]) -> str:
    if item.get("fetch_status") == "pending" and not item.get("title"):
        return "(metadata not fetched yet)"
    parts = [item.get("title") or "(untitled)"]
    if item.get("container_title"):
        parts.append(item["container_title"])
    if item.get("year"):
        parts.append(str(item["year"]))
    return ". ".join(parts)


def format_fetch_report(report) -> str:
    """What ``tracker fetch`` did, in a few lines."""
    lines = [
        f"Fetched {len(report.fetched)} of {plural(len(report.requested), 'DOI')}"
        f" with {plural(report.requests, 'request')}."
    ]
    if report.already_stored:
        lines.append(
            f"Already stored: {len(report.already_stored)} (use --refresh to fetch them again)."
        )
    if report.not_found:
        lines.append(
            f"Not found anywhere ({len(report.not_found)}): {', '.join(report.not_found)}"
        )
    for doi in report.failed:
        lines.append(f"Failed: {doi}: {report.errors.get(doi, 'unknown error')}")
    if report.bundled:
        lines.append(
            f"Offline: {len(report.bundled)} from the records shipped with the tracker."
        )
    if report.missing_offline:
        lines.append(
            f"Offline, no stored metadata for {len(report.missing_offline)}: "
            + ", ".join(report.missing_offline)
        )
    if report.too_many_requests:
        lines.append(
            f"The server refused {plural(report.too_many_requests, 'request')} as too many."
        )
    return "\n".join(lines)


def format_ingest_report(report: dict[str, Any]) -> str:
    """What ``tracker ingest`` stored, and what to do next."""
    title = report.get("title") or "(untitled)"
    if report["existing"]:
        head = f"Already stored as article {report['article_id']}: {title}"
    else:
        head = f"Article {report['article_id']}: {title}"
    dois = len(report["dois"])
    lines = [
        head,
        f"  {plural(report['claims'], 'claim')}, {report['linked_claims']} linked to"
        " references by inline markers",
        f"  {plural(report['citations'], 'reference')}, {dois} with a DOI",
    ]
    lines += [f"  Note: {note}" for note in report.get("notes") or []]
    if not report["existing"]:
        lines.append(
            "Next: `tracker fetch` for the works' metadata, then `tracker check`."
        )
    return "\n".join(lines)


def format_resolve_report(report: dict[str, Any]) -> str:
    if report.get("offline"):
        count = report["citations"]
        were = "was" if count == 1 else "were"
        return (
            f"Offline: {plural(count, 'reference')} without DOI {were} not looked up."
        )
    lines = [
        f"{len(report['matched'])} of {plural(report['citations'], 'reference')}"
        f" without DOI matched ({plural(report.get('requests', 0), 'request')})."
    ]
    lines += [f"  reference {m['citation_id']}: {m['doi']}" for m in report["matched"]]
    if report["unresolved"]:
        lines.append(
            f"{len(report['unresolved'])} unresolved: see `tracker check` for the best"
            " candidates, `tracker citation accept ID DOI` to choose one."
        )
    lines += [
        f"  failed: reference {f['citation_id']}: {f['error']}"
        for f in report["failed"]
    ]
    return "\n".join(lines)


def format_check_report(report: dict[str, Any]) -> str:
    """One line per problem, then a count by kind."""
    problems = report["problems"]
    lines = []
    for problem in problems:
        doi = f" ({problem['doi']})" if problem["doi"] else ""
        known = " [acknowledged]" if problem.get("acknowledged") else ""
        lines.append(
            f"{problem['kind']:<12} {problem['where']}{doi}: {problem['detail']}{known}"
        )
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem["kind"]] = counts.get(problem["kind"], 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    lines.append(
        plural(len(problems), "problem") + (f": {summary}." if summary else ".")
    )
    if report["pending"]:
        count = len(report["pending"])
        have, their, were = (
            ("has", "its", "was") if count == 1 else ("have", "their", "were")
        )
        lines.append(
            f"{plural(count, 'work')} {have} no metadata yet, so {their} references"
            f" {were} not verified: run `tracker fetch`."
        )
    return "\n".join(lines)


def format_citation_list(citations: list[dict[str, Any]]) -> str:
    if not citations:
        return "No references."
    lines = [
        f"{'id':>5}  {'article':>7} {'#':>3}  {'verdict':<10} {'doi':<32} reference"
    ]
    for row in citations:
        reference = textwrap.shorten(
            " ".join(row["raw"].split()), 50, placeholder="..."
        )
        lines.append(
            f"{row['id']:>5}  {row['article_id']:>7} {row['position']:>3}  {row['verdict'] or '':<10}"
            f" {row['doi'] or '(none)':<32} {reference}"
        )
    return "\n".join(lines)


def format_import_report(report: dict[str, Any]) -> str:
    """What ``tracker import bibtex`` did, with the lines of what it could not do."""
    lines = [
        f"{plural(report['entries'], 'entry', 'entries')}: {report['imported']} imported,"
        f" {plural(report['duplicates'], 'duplicate')}, {len(report['failed'])} failed."
    ]
    notes = [(failure["line"], failure["error"]) for failure in report["failed"]]
    notes += [
        (duplicate["line"], f"duplicate: {duplicate['reason']}")
        for duplicate in report.get("duplicate_entries", [])
    ]
    notes += [
        (warning["line"], warning["warning"]) for warning in report.get("warnings", [])
    ]
    lines += [
        f"  line {line}: {note}" for line, note in sorted(notes, key=lambda n: n[0])
    ]
    return "\n".join(lines)


def format_parses(parses) -> str:
    """Each parsed reference as its fields, one per line, a blank line between."""
    blocks = []
    for raw, parsed in parses:
        names = "; ".join(
            author.family
            if author.organisation
            else f"{author.family}, {author.given}".strip(", ")
            for author in parsed.authors
        )
        fields = [
            ("authors", names + (" et al." if parsed.et_al else "")),
            ("year", f"{parsed.year}{parsed.year_suffix}" if parsed.year else ""),
            ("title", parsed.title),
            ("container", parsed.container),
            ("volume", parsed.volume),
            ("issue", parsed.issue),
            ("pages", parsed.pages),
            ("publisher", parsed.publisher),
            ("location", parsed.location),
            ("doi", parsed.doi),
            ("url", parsed.url),
            ("type", parsed.type),
        ]
        lines = [raw] + [f"  {name:<10} {value}" for name, value in fields if value]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else "No references."
