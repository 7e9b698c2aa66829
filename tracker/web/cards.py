"""Claim cards: a claim with its evidence and, for a signed-in reviewer, its forms.

Built from f-strings rather than a Jinja macro: an article page shows hundreds of
claims and thousands of evidence links, and the macro took four times as long
(``bench/bench_article_page.py``). Every value from the article, from Crossref or from
a reviewer goes through :func:`_e`; only HTML built here (titles by
:func:`tracker.web.plugins.sanitise`, drop-down options) is put in as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markupsafe import Markup

from ..vocabulary import CLAIM_STATUSES, LEVEL_CHOICES, STANCES, STUDY_DESIGNS
from .options import options

DESIGN_CHOICES = ("", *STUDY_DESIGNS)
EVIDENCE_HEAD = (
    '<table class="evidence"><thead><tr><th scope="col">Work</th>'
    '<th scope="col">Stance</th><th scope="col">Design and level</th>'
    '<th scope="col">Flag</th><th scope="col">Reference</th></tr></thead><tbody>'
)


def _e(value: Any) -> str:
    """A value as HTML text (or attribute value): escaped, None as nothing, HTML built
    here (:class:`Markup`) as it is."""
    if value.__class__ is str:
        return escape(value)
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return escape(str(value))


def _words(value: str | None) -> str:
    return _e((value or "").replace("_", " "))


@dataclass
class Cards:
    """What every card of one page shares: where forms post, whether the visitor may
    review (and their CSRF token), refused forms by name, links or none (a report)."""

    article_id: int
    reviewer: str | None = None
    token: str = ""
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: bool = True
    base: str = ""
    _heads: dict[int, str] = field(default_factory=dict, init=False, repr=False)

    def __call__(self, claim: dict[str, Any], messages: Iterable = ()) -> Markup:
        """The card of one claim, with ``messages`` (text, kind) shown in it."""
        status = claim["status"]
        bare = not claim["evidence"]
        parts = [
            f'<article class="claim-card status-{_e(status)}{" bare" if bare else ""}"'
            f' id="claim-{claim["id"]}"><div class="claim-head">'
            f'<a class="claim-number" href="#claim-{claim["id"]}">Claim {claim["id"]}</a>'
            f' <span class="badge status-{_e(status)}">{_words(status)}</span>'
        ]
        if bare:
            parts.append(' <span class="badge bare">no evidence</span>')
        if claim.get("reviewed_by"):
            parts.append(
                f' <span class="reviewed">by {_e(claim["reviewed_by"])},'
                f" {_e((claim.get('reviewed_at') or '')[:10])}</span>"
            )
        parts.append(f'</div><p class="claim-text">{_e(claim["text"])}</p>')
        if claim.get("review_note"):
            parts.append(f'<p class="note">Note: {_e(claim["review_note"])}</p>')
        if claim.get("unmatched"):
            cited = ", ".join(claim["unmatched"])
            parts.append(
                f'<p class="warning">Cites {_e(cited)}, which the reference list'
                " does not hold.</p>"
            )
        parts += [
            f'<p class="message-info" role="status">{_e(text)}</p>'
            for text, _ in messages
        ]
        if self.reviewer:
            parts.append(self._status_form(claim))
        if claim["evidence"]:
            parts.append(EVIDENCE_HEAD)
            for item in claim["evidence"]:
                parts.append(self._evidence_row(item))
                if self.reviewer:
                    parts.append(self._evidence_forms(claim["id"], item))
            parts.append("</tbody></table>")
        parts.append("</article>")
        return Markup("".join(parts))

    def _evidence_row(self, item: dict[str, Any]) -> str:
        title = _e(item["title_html"])
        if self.links:
            title = (
                f'<a href="{self.base}/-/review/works/{item["work_id"]}">{title}</a>'
            )
        doi = (
            f' <a class="doi" href="{_e(item["doi_href"])}">{_e(item["doi"])}</a>'
            if item.get("doi")
            else ""
        )
        note = (
            f'<br><span class="note">{_e(item["note"])}</span>'
            if item.get("note")
            else ""
        )
        reason = item.get("evidence_level_reason")
        reason = f'<br><span class="note">{_e(reason)}</span>' if reason else ""
        if item.get("integrity"):
            flag = f'<span class="badge flag flag-{_e(item["integrity"])}">{_e(item["integrity"])}</span>'
            if item.get("acknowledged"):
                flag += ' <span class="acknowledged">acknowledged</span>'
        else:
            flag = "—"
        if item.get("reference"):
            reference = (
                f'<a href="#ref-{item["reference"]}">ref. {item["reference"]}</a>'
                f' <span class="badge verdict-{item["verdict_name"]}">{_e(item["verdict_words"])}</span>'
            )
        else:
            reference = "not in the reference list"
        return (
            f'<tr id="evidence-{item["evidence_id"]}"><td class="work">{title}<br>'
            f'<span class="byline">{_e(item["byline"])}</span>{doi}{note}</td>'
            f'<td><span class="badge stance-{_e(item["stance"])}">{_e(item["stance"])}</span></td>'
            f"<td>{_e(item['level_text'])}{reason}</td><td>{flag}</td><td>{reference}</td></tr>"
        )

    # Forms -------------------------------------------------------------------------

    def _form(self, action: str, claim_id: int, key: str, fields: str) -> str:
        refused = self.errors.get(key)
        refusal = (
            f'<p class="refusal" role="alert">Not recorded: {_e(refused["message"])}</p>'
            if refused
            else ""
        )
        return (
            f'{self._form_head(claim_id)}<input type="hidden" name="action" value="{action}">'
            f'<input type="hidden" name="claim_id" value="{claim_id}">'
            f"{refusal}{fields}</form>"
        )

    def _form_head(self, claim_id: int) -> str:
        """The opening of every form of a claim's card, with the CSRF token: made once
        per claim, as a card of many evidence links has twice as many forms."""
        head = self._heads.get(claim_id)
        if head is None:
            head = self._heads[claim_id] = (
                f'<form class="review-form" method="post"'
                f' action="{self.base}/-/review/articles/{self.article_id}#claim-{claim_id}">'
                f'<input type="hidden" name="csrftoken" value="{_e(self.token)}">'
            )
        return head

    def _kept(self, key: str, name: str, current: Any) -> Any:
        """What the refused form ``key`` was sent with, else the stored value."""
        refused = self.errors.get(key)
        return refused["values"].get(name, current) if refused else current

    def _status_form(self, claim: dict[str, Any]) -> str:
        key, number = f"claim-{claim['id']}", claim["id"]
        fields = (
            f'<label for="status-{number}">Status</label>'
            f'<select id="status-{number}" name="status">'
            f"{options(CLAIM_STATUSES, self._kept(key, 'status', claim['status']))}</select>"
            f'<label for="status-note-{number}">Note</label>'
            f'<input id="status-note-{number}" name="note" size="36"'
            f' value="{_e(self._kept(key, "note", claim.get("review_note") or ""))}">'
            '<button type="submit">Record verdict</button>'
        )
        return self._form("status", number, key, fields)

    def _evidence_forms(self, claim_id: int, item: dict[str, Any]) -> str:
        number = item["evidence_id"]
        hidden = f'<input type="hidden" name="evidence_id" value="{number}">'
        work = f'<input type="hidden" name="work_id" value="{item["work_id"]}">'
        key = f"evidence-{number}"
        stance = self._form(
            "stance",
            claim_id,
            key,
            f'{hidden}<label for="stance-{number}">Stance</label>'
            f'<select id="stance-{number}" name="stance">'
            f"{options(STANCES, self._kept(key, 'stance', item['stance']))}</select>"
            f'<label for="stance-note-{number}">Note</label>'
            f'<input id="stance-note-{number}" name="note" size="16"'
            f' value="{_e(self._kept(key, "note", ""))}"><button type="submit">Save</button>',
        )
        acknowledge = ""
        if item.get("integrity") and not item.get("acknowledged"):
            key = f"ack-{number}"
            acknowledge = self._form(
                "acknowledge",
                claim_id,
                key,
                f'{hidden}{work}<label for="ack-note-{number}">Note</label>'
                f'<input id="ack-note-{number}" name="note" size="16"'
                f' value="{_e(self._kept(key, "note", ""))}">'
                '<button type="submit">Acknowledge</button>',
            )
        key = f"level-{number}"
        level = self._kept(key, "level", item.get("evidence_level") or "none")
        design = self._kept(key, "design", item.get("study_design") or "")
        level_form = self._form(
            "level",
            claim_id,
            key,
            f'{hidden}{work}<label for="level-{number}">Level</label>'
            f'<select id="level-{number}" name="level">{options(LEVEL_CHOICES, level)}</select>'
            f'<label for="design-{number}">Design</label>'
            f'<select id="design-{number}" name="design">{options(DESIGN_CHOICES, design)}</select>'
            f'<label for="reason-{number}">Reason</label>'
            f'<input id="reason-{number}" name="reason" size="24" required'
            f' value="{_e(self._kept(key, "reason", ""))}"><button type="submit">Set level</button>',
        )
        opened = " open" if key in self.errors else ""
        return (
            f'<tr class="edit-row"><td colspan="5"><div class="edit-strip">{stance}'
            f"{acknowledge}<details{opened}><summary>Set level</summary>{level_form}"
            "</details></div></td></tr>"
        )
