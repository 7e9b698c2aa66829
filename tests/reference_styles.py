"""Reference strings written from recorded Crossref records, in the common styles, and
deliberately altered copies: the material for verification tests."""

from __future__ import annotations

import re

from tracker.crossref.records import partial_date


def _people(message: dict) -> list[dict]:
    return [a for a in message.get("author") or [] if a.get("family") or a.get("name")]


def _initials(given: str | None, dots: bool = False, spaced: bool = False) -> str:
    parts = [p for p in re.split(r"[\s.\-]+", given or "") if p]
    letters = [p[0].upper() for p in parts]
    if dots:
        return (" " if spaced else "").join(f"{letter}." for letter in letters)
    return "".join(letters)


def _title(message: dict) -> str:
    return re.sub(r"<[^>]+>", "", " ".join((message.get("title") or [""])[0].split()))


def _journal(message: dict, short: bool = False) -> str:
    names = message.get("short-container-title") if short else None
    return ((names or message.get("container-title") or [""])[0]).strip()


def _year(message: dict) -> int:
    return int(partial_date(message.get("issued"))[:4])


def ama(
    message: dict,
    year: int | None = None,
    volume: str | None = None,
    pages: str | None = None,
    journal: str | None = None,
    title: str | None = None,
    drop_middle_initials: bool = False,
) -> str:
    people = _people(message)
    names = []
    for person in people[:6]:
        if person.get("family"):
            initials = _initials(person.get("given"))
            names.append(
                f"{person['family']} {initials[:1] if drop_middle_initials else initials}".strip()
            )
        else:
            names.append(person["name"])
    authors = ", ".join(names) + (", et al" if len(people) > 6 else "")
    year = year or _year(message)
    volume = volume or message.get("volume", "")
    issue = f"({message['issue']})" if message.get("issue") else ""
    pages = pages or message.get("page") or message.get("article-number") or ""
    return (
        f"{authors}. {title or _title(message)}. {journal or _journal(message, short=True)}. "
        f"{year};{volume}{issue}:{pages}. doi:{message['DOI']}"
    )


def apa(
    message: dict,
    year: int | None = None,
    volume: str | None = None,
    pages: str | None = None,
    journal: str | None = None,
    title: str | None = None,
) -> str:
    people = _people(message)
    names = []
    for person in people[:20]:
        if person.get("family"):
            names.append(
                f"{person['family']}, {_initials(person.get('given'), dots=True, spaced=True)}".strip(
                    ", "
                )
            )
        else:
            names.append(person["name"])
    if len(people) > 20:  # APA 7: the first 19, an ellipsis, the last
        last = people[-1]
        final = (
            f"{last['family']}, {_initials(last.get('given'), dots=True, spaced=True)}"
            if last.get("family")
            else last["name"]
        )
        authors = ", ".join(names[:19]) + ", . . . " + final
    elif len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0]
    year = year or _year(message)
    volume = volume or message.get("volume", "")
    issue = f"({message['issue']})" if message.get("issue") else ""
    pages = (
        pages or message.get("page") or message.get("article-number") or ""
    ).replace("-", "–")
    return (
        f"{authors} ({year}). {title or _title(message)}. {journal or _journal(message)}, "
        f"{volume}{issue}, {pages}. https://doi.org/{message['DOI']}"
    )


def chicago(
    message: dict,
    year: int | None = None,
    volume: str | None = None,
    pages: str | None = None,
    journal: str | None = None,
    title: str | None = None,
) -> str:
    people = _people(message)
    first = people[0]
    if first.get("family"):
        names = [f"{first['family']}, {first.get('given', '')}".strip(", ")]
    else:
        names = [first["name"]]
    for person in people[1:3]:
        names.append(
            f"{person.get('given', '')} {person.get('family', '')}".strip()
            if person.get("family")
            else person["name"]
        )
    authors = (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]
    )
    if len(people) > 3:
        authors = ", ".join(names) + ", et al"
    year = year or _year(message)
    volume = volume or message.get("volume", "")
    issue = f", no. {message['issue']}" if message.get("issue") else ""
    pages = pages or message.get("page") or message.get("article-number") or ""
    return (
        f'{authors}. "{title or _title(message)}." {journal or _journal(message)} {volume}{issue} '
        f"({year}): {pages}. https://doi.org/{message['DOI']}"
    )


STYLES = {"ama": ama, "apa": apa, "chicago": chicago}


def checkable(message: dict) -> bool:
    """A journal article with what every style needs."""
    return bool(
        message.get("type") == "journal-article"
        and re.fullmatch(r"\d+", str(message.get("volume", "")))
        and _people(message)
        and (message.get("title") or [""])[0].strip()
        and (message.get("container-title") or [""])[0].strip()
        and message.get("volume")
        and (message.get("page") or message.get("article-number"))
        and partial_date(message.get("issued"))
        and _people(message)[0].get("family")
    )
