"""``tracker export`` and ``tracker import``: the bibliography in and out of the database.

Export selects works (all of them, an article's, a claim's, or those behind claims
with a given status), gives them citation keys where they have none, and writes them
in key order, so that the same database always gives the same bytes. A work imported
from a .bib file and not fetched since is written as the file wrote it.

Import reads every entry of a .bib file in one transaction; a DOI or key already in
the database is reported as a duplicate, a malformed entry as failed with its line,
and everything else becomes a work (``pending`` until its metadata is fetched).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlite_utils
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry, Field

from .bibtex import (
    CROSSREF_TYPES,
    ExportOptions,
    ReadEntry,
    bibtex_entry,
    read_bibtex,
    write_bibtex,
)
from .citekeys import assign_citekeys
from .csl import csl_item
from .database import CLAIM_STATUSES, utc_now
from .doi import normalize_doi
from .errors import InvalidDOI, InvalidInput, NotFound
from .latex import latex_to_text
from .reader import decode

_SELECTIONS = {
    "all": "select id from works",
    "article": """
        select work_id from citations where article_id = :article
        union select evidence.work_id from evidence join claims on claims.id = evidence.claim_id
        where claims.article_id = :article""",
    "claim": "select work_id from evidence where claim_id = :claim",
    "status": """
        select evidence.work_id from evidence join claims on claims.id = evidence.claim_id
        where claims.status = :status""",
}


def select_works(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[list[int], list[str]]:
    """(ids of the selected works that can be written, DOIs of those without metadata)."""
    if (
        article_id is not None
        and not db.execute(
            "select 1 from articles where id = ?", [article_id]
        ).fetchone()
    ):
        raise NotFound(f"no article with id {article_id}")
    if (
        claim_id is not None
        and not db.execute("select 1 from claims where id = ?", [claim_id]).fetchone()
    ):
        raise NotFound(f"no claim with id {claim_id}")
    if status is not None and status not in CLAIM_STATUSES:
        raise InvalidInput(
            f"unknown status {status!r}: use one of {', '.join(CLAIM_STATUSES)}"
        )
    selection = (
        "claim"
        if claim_id is not None
        else "article"
        if article_id is not None
        else "status"
        if status
        else "all"
    )
    rows = db.query(
        f"select id, doi, title, bibtex, fetch_status from works"
        f" where id in ({_SELECTIONS[selection]}) order by id",
        {"article": article_id, "claim": claim_id, "status": status},
    )
    chosen, skipped = [], []
    for row in rows:
        if row["title"] or row["bibtex"] or row["fetch_status"] == "ok":
            chosen.append(row["id"])
        elif row["doi"]:
            skipped.append(row["doi"])
    return chosen, skipped


def export_bibtex(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
    options: ExportOptions | None = None,
) -> tuple[str, dict[str, Any]]:
    """The .bib text of the selected works, and a report of what was left out."""
    options = options or ExportOptions()
    ids, skipped = select_works(db, article_id, claim_id, status)
    keys = assign_citekeys(db, ids)
    works, authors = _load(db, ids)
    entries = [
        _entry(works[work_id], authors.get(work_id, []), keys[work_id], options)
        for work_id in _by_key(ids, keys)
    ]
    return write_bibtex(entries), {"entries": len(entries), "skipped": skipped}


def export_csl(
    db: sqlite_utils.Database,
    article_id: int | None = None,
    claim_id: int | None = None,
    status: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """CSL-JSON items of the selected works, and a report of what was left out."""
    ids, skipped = select_works(db, article_id, claim_id, status)
    keys = assign_citekeys(db, ids)
    works, authors = _load(db, ids)
    items = [
        csl_item(works[work_id], authors.get(work_id, []), keys[work_id])
        for work_id in _by_key(ids, keys)
    ]
    return items, {"entries": len(items), "skipped": skipped}


def import_bibtex(db: sqlite_utils.Database, path: str | Path) -> dict[str, Any]:
    """Import a .bib file; return ``{"entries", "imported", "duplicates", "failed", ...}``."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        text = decode(path.read_bytes())
    except InvalidInput as error:
        raise InvalidInput(f"{path} is {error}") from error
    read = read_bibtex(text)
    report: dict[str, Any] = {
        "entries": read.count,
        "imported": 0,
        "duplicates": len(read.duplicate_keys),
        "failed": sorted(read.failed, key=lambda failure: failure["line"]),
        "duplicate_entries": list(read.duplicate_keys),
        "warnings": list(read.warnings),
    }
    now = utc_now()
    authors: list[dict[str, Any]] = []
    with db.atomic():
        for entry in read.entries:
            reason = _store_entry(db, entry, now, report["warnings"], authors)
            if reason:
                report["duplicates"] += 1
                report["duplicate_entries"].append(
                    {"line": entry.line, "key": entry.key, "reason": reason}
                )
            else:
                report["imported"] += 1
        db["authors"].insert_all(authors, batch_size=500)
    report["duplicate_entries"].sort(key=lambda duplicate: duplicate["line"])
    return report


def _store_entry(
    db, entry: ReadEntry, now: str, warnings: list, authors: list[dict[str, Any]]
) -> str | None:
    """Store one entry as a work (its author rows go to ``authors``, to be inserted
    together); return why it is a duplicate, or None."""
    doi = None
    if entry.text.get("doi"):
        try:
            doi = normalize_doi(entry.text["doi"])
        except InvalidDOI as error:
            warnings.append(
                {"line": entry.line, "warning": f"entry {entry.key!r}: {error}"}
            )
    if doi and db.execute("select 1 from works where doi = ?", [doi]).fetchone():
        return f"DOI {doi} is already stored"
    if db.execute("select 1 from works where citekey = ?", [entry.key]).fetchone():
        return f"key {entry.key!r} is already stored"
    text = entry.text
    year = _year(text.get("year") or text.get("date"))
    work_id = db.execute(
        "insert into works (doi, type, title, container_title, year, issued, volume, issue, page,"
        " publisher, url, abstract, citekey, citekey_source, fetch_status, metadata_source,"
        " bibtex, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported',"
        " 'pending', 'bibtex', ?, ?)",
        [
            doi,
            CROSSREF_TYPES.get(entry.entry_type, "other"),
            text.get("title"),
            text.get("journal") or text.get("journaltitle") or text.get("booktitle"),
            year,
            text.get("date") if text.get("date") else None,
            text.get("volume"),
            text.get("number") or text.get("issue"),
            (text.get("pages") or "").replace("–", "-") or None,
            text.get("publisher") or text.get("institution") or text.get("school"),
            text.get("url"),
            text.get("abstract"),
            entry.key,
            json.dumps(
                {"type": entry.entry_type, "fields": entry.raw_fields},
                ensure_ascii=False,
            ),
            now,
        ],
    ).lastrowid
    people = _people(dict(entry.raw_fields).get("author"))
    authors.extend(
        {"work_id": work_id, "position": n, **person}
        for n, person in enumerate(people, 1)
    )
    return None


def _people(raw: str | None) -> list[dict[str, Any]]:
    """Author rows from a BibTeX name list as written (braces still marking bodies)."""
    if not raw:
        return []
    value = raw.strip()
    if value[:1] in '{"' and value[-1:] in '}"':
        value = value[1:-1]
    people = []
    for name in split_multiple_persons_names(value):
        if name.strip().lower() in ("others", "{others}"):
            continue
        people.append(_person(name))
    return people


def _person(name: str) -> dict[str, Any]:
    extended = (
        dict(part.split("=", 1) for part in name.split(",") if "=" in part)
        if "family=" in name
        else None
    )
    if extended:
        family = " ".join(
            filter(
                None,
                [
                    extended.get("prefix", "").strip(),
                    extended.get("family", "").strip(),
                ],
            )
        )
        return {
            "family": latex_to_text(family),
            "given": latex_to_text(extended.get("given", "").strip()) or None,
            "name": None,
        }
    try:
        parts = parse_single_name_into_parts(name)
    except InvalidNameError:
        return {"family": latex_to_text(name), "given": None, "name": None}
    if (
        not parts.first
        and not parts.von
        and len(parts.last) == 1
        and parts.last[0].startswith("{")
    ):
        return {"family": None, "given": None, "name": latex_to_text(parts.last[0])}
    family = latex_to_text(" ".join(parts.von + parts.last))
    given = latex_to_text(" ".join(parts.first + parts.jr)) or None
    return {"family": family, "given": given, "name": None}


def _year(value: str | None) -> int | None:
    import re

    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value or "")
    return int(match.group(1)) if match else None


def _entry(
    work: dict[str, Any],
    authors: list[dict[str, Any]],
    key: str,
    options: ExportOptions,
) -> Entry:
    """A work as it was imported (when not fetched since), or from its columns."""
    if work.get("metadata_source") == "bibtex" and work.get("bibtex"):
        imported = json.loads(work["bibtex"])
        fields = [Field(name, value) for name, value in imported["fields"]]
        return Entry(imported["type"], key, fields)
    return bibtex_entry(work, authors, key, options)


def _load(
    db, ids: list[int]
) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """The works with these ids and their authors, in two queries."""
    chosen = json.dumps(ids)
    works = {
        row["id"]: dict(row)
        for row in db.query(
            "select * from works where id in (select value from json_each(?))", [chosen]
        )
    }
    authors: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(
        "select * from authors where work_id in (select value from json_each(?))"
        " order by work_id, position",
        [chosen],
    ):
        authors.setdefault(row["work_id"], []).append(dict(row))
    return works, authors


def _by_key(ids: list[int], keys: dict[int, str]) -> list[int]:
    return sorted(ids, key=lambda work_id: keys[work_id])
