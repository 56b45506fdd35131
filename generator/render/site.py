"""Render stage: the whole site as pages and data files (nothing is computed here).

`render_site` returns the generated pages (`Page`: the HTML of each article, its title, its
table of contents, rendered from jinja2 templates), the data files (JSON API, downloads, feeds,
spreadsheets) and two reference pages written as Markdown for the site engine (the error codes
and the record reference, documentation that hand-written pages link into). The publish stage
fills each page into the theme's page shell and writes everything into the site.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from markupsafe import Markup

from generator.load.history import History
from generator.render import charts, exports, feeds, html, links, safe
from generator.render.codes import render_codes_page
from generator.render.datasets import TABLES, Tables, jsonable, page_url
from generator.render.inputs import Inputs
from generator.render.page import Headings, Page
from generator.render.records import render_records_page
from generator.render.templating import environment
from generator.render.views import (
    ITEM_TITLES,
    SiteConfig,
    Views,
    ordinal,
    version_label,
)
from generator.schema.base import display_version


@dataclass
class Rendered:
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """One piece of the site, made when the publish stage asks (`make`): a record's page with
    its data files, an index page, a download. `inputs`, when it has them, gives what the piece
    is made from (`generator.render.inputs`): the same inputs make the same piece, so a rebuild
    may keep the piece of the previous build. A piece without them is made on every build."""

    name: str
    make: Callable[[], Rendered]
    inputs: Callable[[], bytes] | None = None


@dataclass
class Plan:
    """The site to render, in the order the publish stage wants it."""

    nav: list[Part]
    """The pages of the navigation: made first (each one's shell is made from its page)."""
    records: list[Part]
    """One part per record page (project, methodology, country, TPE, decision)."""
    data: list[Part]
    """The downloads, spreadsheets and feeds: no page is made from them."""
    record_pages: list[str]
    """The paths of the record pages (each kind's shells are planned from them)."""
    docs: dict[str, str] = field(default_factory=dict)
    """Markdown pages for the site engine to build (the reference pages), by docs path."""
    config: SiteConfig = field(default_factory=SiteConfig)
    """The operator's settings the pages were made with (repository, branch: edit buttons)."""

    def parts(self) -> list[Part]:
        return [*self.nav, *self.records, *self.data]


def plan_site(validation: Any, history: History, config: SiteConfig) -> Plan:
    """The parts of the site; nothing is rendered until a part is made."""
    views = Views(validation, history, config)
    reg = views.registry
    datasets = Tables(views)
    sheets = _sheets(views)
    inputs = Inputs(views)
    applied = _applied(views)
    records: list[Part] = []
    for pid in sorted(reg.projects):
        records.append(
            Part(
                f"project:{pid}",
                partial(_project_page, views, pid),
                partial(inputs.project, pid),
            )
        )
    for mid in sorted(reg.methodologies):
        records.append(
            Part(
                f"methodology:{mid}",
                partial(_methodology_page, views, mid, set(sheets), applied.get(mid, [])),
                partial(inputs.methodology, mid, set(sheets)),
            )
        )
    for code in sorted(reg.countries):
        records.append(Part(f"country:{code}", partial(_country_page, views, code)))
    for slug in sorted(reg.tpes):
        records.append(
            Part(f"tpe:{slug}", partial(_tpe_page, views, slug), partial(inputs.tpe, slug))
        )
    for key in sorted(reg.decisions):
        records.append(
            Part(
                f"decision:{key}",
                partial(_decision_page, views, key),
                partial(inputs.decision, key),
            )
        )
    record_pages = [
        *(links.project(p) for p in sorted(reg.projects)),
        *(links.methodology(m) for m in sorted(reg.methodologies)),
        *(links.country(c) for c in sorted(reg.countries)),
        *(links.tpe(t) for t in sorted(reg.tpes)),
        *(links.decision(k) for k in sorted(reg.decisions)),
    ]
    every_page = {*record_pages, *(spec["here"] for spec in INDEXES.values())}
    nav = [Part(f"index:{name}", partial(_index_page, views, name)) for name in INDEXES]
    nav += [
        Part("home", partial(_home_page, views, datasets)),
        Part("integrity", partial(_integrity_page, views)),
        Part("issuances", partial(_issuances_page, views, datasets)),
        Part("public-inputs", partial(_public_inputs_page, views, datasets)),
        Part("changelog", partial(_changelog_page, views, every_page)),
        Part("data", partial(_data_page, views, datasets)),
    ]
    data = [
        Part(
            f"dataset:{name}",
            partial(_dataset_files, datasets, name),
            partial(_dataset_json, datasets, name),
        )
        for name in TABLES
    ]
    data.append(Part("catalogue", partial(_catalogue_files, datasets)))
    data += [
        Part(
            f"spreadsheet:{path}",
            partial(_spreadsheet_file, path, mid, compiled),
            partial(inputs.spreadsheet, mid),
        )
        for path, (mid, compiled) in sheets.items()
    ]
    data.append(Part("feeds", partial(_feed_files, views)))
    docs = {
        "reference/codes.md": render_codes_page(),
        "reference/records.md": render_records_page(),
    }
    return Plan(nav, records, data, record_pages, docs, config)


def render_site(validation: Any, history: History, config: SiteConfig) -> Rendered:
    """Every page and data file of the site, made at once (for tests and tools; a build makes
    them one part at a time)."""
    out = Rendered()
    for part in plan_site(validation, history, config).parts():
        made = part.make()
        out.pages.update(made.pages)
        out.files.update(made.files)
    return out


def _record_api(key: str, here: str, record: Any, derived: dict[str, Any]) -> bytes:
    """A record's API file: what its file says (`typed`) and what the generator derived."""
    return exports.dumps(
        {
            "id": key,
            "page": page_url(here),
            "file": record.path,
            "typed": record.model.model_dump(mode="json", exclude_defaults=True),
            "derived": derived,
        }
    )


def _api_path(pid: str) -> str:
    return f"api/v1/projects/{pid}.json"


# ---------------------------------------------------------------------------------------------
# Templates


def _render(
    template: str, here: str, views: Views, edit: str | None = None, **context: Any
) -> Page:
    """A page from its template. The template sets `title` and `description` (plain text) and
    may set `hide` (the theme's parts the page hides); its headings make the table of
    contents."""
    headings = Headings()
    module = (
        environment()
        .get_template(template)
        .make_module(
            {
                "L": links.Links(here),
                "V": views,
                "R": views.registry,
                "H": headings,
                "here": here,
                "api_path": context.pop("api_path", "data/index.md"),
                **context,
            }
        )
    )
    body = str(module)
    # A template's context and macros refer to each other; the build pauses the collector
    # (pipeline.paused_gc), so free what this page left behind: only objects made since the
    # last collection are scanned.
    gc.collect(0)
    return Page(
        path=here,
        title=str(module.title),
        description=str(module.description),
        body=body,
        toc=headings.toc(),
        hide=tuple(getattr(module, "hide", ())),
        edit=edit,
    )


def _claimed_value(chain: Any, name: str) -> Any:
    claimed = chain.claimed
    if claimed is None:
        return None
    return {
        "ER_p": claimed.emission_reductions,
        "RE_p": claimed.reference_emissions,
        "PE_p": claimed.project_emissions,
    }.get(name)


# ---------------------------------------------------------------------------------------------
# Record pages


INLINE_ROWS = 100
"""A list longer than this is not written into its page: the browser shows it page by page
from a JSON file. **Why:** no page may grow with the registry (at 10,000 projects a country
page would list thousands of them, and stay under 200 KB only this way)."""


CHANGELOG_COMMITS = 100
CHANGELOG_FILES = 20
"""The changelog page lists the latest changes, each with its first files; all of them are in
`api/v1/changelog.json` (an import of the whole registry is one change of thousands of files)."""


def paged(
    out: Rendered,
    here: str,
    name: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, ...]],
    filters: list[tuple[str, str]] = (),  # type: ignore[assignment]
    sort: str = "",
) -> dict[str, Any] | None:
    """The paged table for a long list (its rows written to `api/v1/lists/<name>.json`), or
    None when the list is short enough to be written into the page."""
    if len(rows) <= INLINE_ROWS:
        return None
    path = f"api/v1/lists/{name}.json"
    keys = [c[0] for c in columns] + ["href", "start", "end"]
    out.files[path] = exports.dumps(
        {"rows": [{k: jsonable(r[k]) for k in keys if k in r} for r in rows]}
    )
    L = links.Links(here)
    return {
        "source": L.static(path),
        "base": L.static(""),
        "csv": None,
        "columns": [
            {"key": c[0], "label": c[1], "kind": c[2] if len(c) > 2 else ""} for c in columns
        ],
        "filters": [{"key": k, "label": label} for k, label in filters],
        "sort": sort,
        "page_size": 50,
    }


def _project_page(views: Views, pid: str) -> Rendered:
    """A project's page and its API file."""
    out = Rendered()
    reg, state, computed = views.registry, views.state, views.computed
    record = reg.projects[pid]
    here = links.project(pid)
    p = record.model
    programmes = reg.programmes()
    programme = (
        programmes.get(p.contribution_from_japan.programme or "")
        if p.contribution_from_japan
        else None
    )
    out.pages[here] = _render(
        "project.html.j2",
        here,
        views,
        edit=record.path,
        record=record,
        p=p,
        status=views.project_status(pid),
        history=state.projects[pid],
        figures=computed.projects[pid],
        timeline=views.project_timeline(pid),
        programme=programme,
        mechanisms=reg.mechanisms(),
        issuance_records=[*reg.issuances.get(pid, []), *reg.monitoring.get(pid, [])],
        anchor=lambda c: links.period_anchor(c.period.start, c.period.end),
        claimed_value=_claimed_value,
        api_path=_api_path(pid),
    )
    out.files[_api_path(pid)] = _project_api(views, pid)
    return out


def _applied(views: Views) -> dict[str, list[tuple[str, str]]]:
    """Methodology → (project, version applied), every project that applies it."""
    applied: dict[str, list[tuple[str, str]]] = {}
    for pid, r in views.registry.projects.items():
        for a in r.model.methodologies:
            applied.setdefault(a.methodology.split("@")[0], []).append((pid, a.methodology))
    return applied


def _methodology_page(
    views: Views, mid: str, sheets: Collection[str], applied: list[tuple[str, str]]
) -> Rendered:
    """A methodology's page, its API file and its paged list of projects."""
    out = Rendered()
    reg, state, computed = views.registry, views.state, views.computed
    record = reg.methodologies[mid]
    here = links.methodology(mid)
    versions = []
    for index, version in enumerate(record.model.versions):
        key = f"{mid}@{version.version}" if version.version else None
        history = state.versions.get(key) if key else None
        compiled = computed.versions.get(key) if key else None
        sheet = f"downloads/spreadsheets/JCM_{mid}_ver{version.version}.xlsx"
        versions.append(
            {
                "index": index,
                "model": version,
                "label": version_label(version.version),
                "anchor": links.anchor(f"version-{version.version or 'proposal'}"),
                "status": views.version_status(key) if key else "proposed",
                "approved": history.approved if history else None,
                "superseded": history.superseded if history else None,
                "withdrawn": history.withdrawn if history else None,
                "recomputable": bool(compiled and compiled.recomputable),
                "why_not": compiled.why_not() if compiled else "the version is a proposal",
                "spreadsheet": sheet if sheet in sheets else None,
                "spreadsheet_name": f"JCM_{mid}_ver{version.version}",
            }
        )
    projects = sorted(applied)
    projects_paged = paged(
        out,
        here,
        f"methodologies/{mid}/projects",
        [
            {
                "id": pid,
                "href": page_url(links.project(pid)),
                "version": version_label(ref.split("@")[1]),
                "status": views.project_status(pid),
                "title": reg.projects[pid].model.title,
            }
            for pid, ref in projects
        ],
        [
            ("id", "Project", "link"),
            ("version", "Version"),
            ("status", "Status"),
            ("title", "Title"),
        ],
        [("version", "Version"), ("status", "Status")],
    )
    out.pages[here] = _render(
        "methodology.html.j2",
        here,
        views,
        edit=record.path,
        record=record,
        mm=record.model,
        status=views.methodology_status(mid),
        versions=versions,
        projects=projects,
        projects_paged=projects_paged,
        scopes={s.number: s.title for s in reg.scopes().values()},
        api_path=f"api/v1/methodologies/{mid}.json",
    )
    out.files[f"api/v1/methodologies/{mid}.json"] = _record_api(
        mid,
        here,
        record,
        {
            "status": views.methodology_status(mid),
            "versions": [
                {
                    "version": v["model"].version,
                    "status": v["status"],
                    "approved_by": v["approved"].ref if v["approved"] else None,
                    "recomputable": v["recomputable"],
                }
                for v in versions
            ],
        },
    )
    return out


def _country_page(views: Views, code: str) -> Rendered:
    """A partner country's page, its API file and its paged lists."""
    out = Rendered()
    record = views.registry.countries[code]
    here = links.country(code)
    context = _country_context(views, code)
    out.pages[here] = _render(
        "country.html.j2",
        here,
        views,
        edit=record.path,
        **context,
        **_country_lists(out, here, views, code, context),
        api_path=f"api/v1/countries/{code}.json",
    )
    out.files[f"api/v1/countries/{code}.json"] = _record_api(
        code,
        here,
        record,
        {
            "registered_projects": views.v.totals.registered_by_country.get(code, 0),
            "rule_parameters": {
                n: {"value": format(p.value, "f"), "basis": p.basis, "origin": p.origin}
                for n, p in _parameters_now(views, code)
            },
        },
    )
    return out


def _tpe_work(views: Views, slug: str) -> list[tuple[str, str, Any]]:
    """What a TPE did, as the records say: (project, validation or verification, date)."""
    reg = views.registry
    work = []
    for pid, project in sorted(reg.projects.items()):
        if project.model.validation and reg.tpe_slug(project.model.validation.tpe) == slug:
            work.append((pid, "validation", project.model.validation.report_date))
        for report in reg.monitoring.get(pid, []):
            ver = report.model.verification
            if ver and reg.tpe_slug(ver.tpe) == slug:
                work.append((pid, "verification", ver.report_date))
    return work


def _tpe_page(views: Views, slug: str) -> Rendered:
    """A third-party entity's page, its API file and its paged lists."""
    out = Rendered()
    record = views.registry.tpes[slug]
    here = links.tpe(slug)
    designations = _designations(views, slug)
    work = _tpe_work(views, slug)
    out.pages[here] = _render(
        "tpe.html.j2",
        here,
        views,
        edit=record.path,
        record=record,
        t_=record.model,
        designations=designations,
        designations_paged=paged(
            out,
            here,
            f"tpes/{slug}/designations",
            [
                {
                    **d,
                    "country_name": views.country_name(d["country"]),
                    "href": page_url(links.country(d["country"])),
                    "until": f"{d['end'] or ''}{' (' + d['status'] + ')' if d['status'] else ''}",
                    "source": d["ref"] or d["origin"],
                }
                for d in designations
            ],
            [
                ("country_name", "Country", "link"),
                ("number", "Number"),
                ("function", "Function"),
                ("scopes", "Sectoral scopes"),
                ("start", "From"),
                ("until", "Until"),
                ("source", "Source"),
            ],
            [("country_name", "Country"), ("function", "Function")],
        ),
        work=work,
        work_paged=paged(
            out,
            here,
            f"tpes/{slug}/projects",
            [
                {
                    "id": pid,
                    "href": page_url(links.project(pid)),
                    "function": function,
                    "date": day,
                }
                for pid, function, day in work
            ],
            [("id", "Project", "link"), ("function", "Function"), ("date", "Date")],
            [("function", "Function")],
        ),
        api_path=f"api/v1/tpes/{slug}.json",
    )
    out.files[f"api/v1/tpes/{slug}.json"] = _record_api(
        slug,
        here,
        record,
        {"designations": [{k: jsonable(v) for k, v in d.items()} for d in designations]},
    )
    return out


ADOPTION_WORDS = {
    "co-chairs": "no negative assertion within the window and both co-chairs affirmed",
    "all-members": "all members affirmed",
    "as-published": "as published",
}


def _decision_page(views: Views, key: str) -> Rendered:
    """A Joint Committee decision's page and its API file."""
    out = Rendered()
    state = views.state
    record = views.registry.decisions[key]
    here = links.decision(key)
    adoption = state.adoptions.get(key)
    words = ADOPTION_WORDS[adoption.how] if adoption is not None and adoption.adopted else None
    out.pages[here] = _render(
        "decision.html.j2",
        here,
        views,
        edit=record.path,
        record=record,
        d=record.model,
        decision_name=views.decision_name(key),
        form=_form_words(record.model),
        effective=state.effective.get(key),
        adoption=words,
        item_title=_item_title,
        item_body=lambda it, L: _item_body(views, it, L),
        api_path=f"api/v1/decisions/{key}.json",
    )
    out.files[f"api/v1/decisions/{key}.json"] = _record_api(
        key,
        here,
        record,
        {
            "effective": jsonable(state.effective.get(key)),
            "adopted_by_rule": adoption.how if adoption else None,
        },
    )
    return out


def _form_words(d: Any) -> str:
    if d.form == "electronic":
        return "Electronic decision"
    if d.form == "unknown":
        return "Not known (the decision is recorded from a published list or report)"
    m = d.meeting
    number = f"{ordinal(m.ordinal)} " if m.ordinal else ""
    where = f" in {m.place}" if m.place else ""
    mode = f" ({m.mode})" if m.mode else ""
    return f"{number}meeting of the Joint Committee{where}{mode}"


def _item_title(item: Any) -> str:
    return ITEM_TITLES[item.type]


def _scopes_words(scopes: Any) -> str:
    if scopes is None:
        return "sectoral scopes and functions not public"
    parts = []
    for fn in ("validation", "verification", "unstated"):
        values = getattr(scopes, fn)
        if values:
            label = "function not stated" if fn == "unstated" else fn
            parts.append(f"{label}: {', '.join(str(v) for v in values)}")
    return "; ".join(parts)


def _full_stop(sentence: Markup) -> Markup:
    """A sentence ended by one full stop, also when a record's text already ends with one."""
    return sentence if sentence.endswith(".") else sentence + Markup(".")


def _item_body(views: Views, item: Any, L: links.Links) -> Markup:
    """An item's content as an HTML block (every record value escaped)."""
    t = html.text
    reg = views.registry

    def a(href: str, label: object) -> Markup:
        return Markup('<a href="{}">{}</a>').format(href, t(label))

    def project(pid: str) -> Markup:
        return a(L.project(pid), pid) if pid in reg.projects else t(pid)

    def methodology(mid: str, version: str | None = None) -> Markup:
        label = mid + (f" {display_version(version)}" if version else "")
        return a(L.methodology(mid), label) if mid in reg.methodologies else t(label)

    def para(content: Markup) -> Markup:
        return Markup("<p>{}</p>").format(content)

    kind = item.type
    if kind == "adopt_rule_document":
        docs = reg.rule_documents()
        title = docs[item.document].title if item.document in docs else item.document
        version = display_version(item.version) if item.version else "version not public"
        params = "; ".join(f"{k} = {format(v, 'f')}" for k, v in item.parameters.items())
        extra = Markup(" Parameters: {}.").format(t(params)) if params else ""
        return para(Markup("{}, {}.{}").format(t(title), version, extra))
    if kind in ("approve_methodology", "approve_methodology_with_revision"):
        extra = Markup(" (proposal {})").format(t(item.proposal)) if item.proposal else ""
        return para(Markup("{}{}.").format(methodology(item.methodology, item.version), extra))
    if kind == "reject_methodology":
        return para(methodology(item.proposal) + Markup("."))
    if kind == "withdraw_methodology":
        return para(methodology(item.methodology, item.version) + Markup("."))
    if kind in ("designate_tpe", "suspend_tpe", "withdraw_tpe_designation"):
        tpe = reg.tpes.get(item.tpe)
        name = a(L.tpe(item.tpe), tpe.model.legal_name) if tpe else t(item.tpe)
        number = Markup(", {}").format(item.number) if getattr(item, "number", None) else ""
        scopes = (
            _scopes_words(item.scopes) if kind == "designate_tpe" or item.scopes else "all scopes"
        )
        until = getattr(item, "valid_until", None) or getattr(item, "until", None)
        tail = Markup(", until {}").format(until) if until else ""
        return para(Markup("{}{}: {}{}.").format(name, number, scopes, tail))
    if kind == "no_objection_pin":
        target = a(L.project(item.pin), item.pin) if item.pin in reg.projects else t(item.pin)
        title = Markup(": {}").format(t(item.title)) if item.title else ""
        return para(_full_stop(target + title))
    if kind == "register_project":
        title = reg.projects[item.project].model.title if item.project in reg.projects else ""
        tail = Markup(": {}").format(t(title)) if title else ""
        return para(_full_stop(project(item.project) + tail))
    if kind == "notify_issuance":
        who = project(item.project) + Markup("").join(
            Markup(", ") + project(o) for o in item.joint_with
        )
        period = (
            Markup(", period {} to {}").format(item.period.start, item.period.end)
            if item.period
            else ""
        )
        quantity = (
            Markup(": {} tCO2e").format(f"{item.quantity:,}") if item.quantity is not None else ""
        )
        lines = [
            Markup("<li>{}'s registry{}: {}</li>").format(
                t(views.side_name(line.registry, item.project[:2])),
                Markup(", {}").format(t(line.account_holder)) if line.account_holder else "",
                f"{line.quantity:,}",
            )
            for line in item.allocation
        ]
        if not item.allocation_complete:
            lines.append(Markup("<li>(only part of the allocation is public)</li>"))
        inner = Markup("\n<ul>\n{}\n</ul>\n").format(Markup("\n").join(lines)) if lines else ""
        return Markup("<ul>\n<li>{}{}{}{}</li>\n</ul>").format(who, period, quantity, inner)
    if kind == "approve_post_registration_change":
        return para(_full_stop(project(item.project) + Markup(": ") + t(item.description)))
    if kind == "renew_crediting_period":
        cp = item.crediting_period
        return para(Markup("{}: {} to {}.").format(project(item.project), cp.start, cp.end))
    if kind in ("withdraw_registration_request", "withdraw_project"):
        return para(project(item.project) + Markup("."))
    if kind == "withdraw_issuance_request":
        period = (
            Markup(", period {} to {}").format(item.period.start, item.period.end)
            if item.period
            else ""
        )
        return para(project(item.project) + period + Markup("."))
    return para(t(item.text))


def _designations(views: Views, slug: str) -> list[dict[str, Any]]:
    out = []
    for span in sorted(
        views.state.spans, key=lambda s: (s.country, s.function, s.start or date.min, s.scope)
    ):
        if span.tpe != slug:
            continue
        out.append(
            {
                "country": span.country,
                "function": span.function,
                "scope": span.scope,
                "start": span.start,
                "end": span.end,
                "origin": span.origin,
                "ref": span.origin if "#" in span.origin else None,
                "status": "withdrawn, date not public" if span.end_unknown else "",
            }
        )
    grouped: dict[tuple, dict[str, Any]] = {}
    for d in out:
        key = (d["country"], d["function"], d["start"], d["end"], d["origin"])
        row = grouped.setdefault(key, {**d, "scopes": []})
        row["scopes"].append(d["scope"])
    rows = []
    for row in grouped.values():
        scopes = row.pop("scopes")
        row.pop("scope")
        row["scopes"] = "not public" if scopes == [0] else ", ".join(str(s) for s in scopes)
        row["number"] = next(
            (
                n
                for n, (s, c) in views.registry.tpe_numbers.items()
                if s == slug and c == row["country"]
            ),
            None,
        )
        row["function"] = "not stated" if row["function"] == "unstated" else row["function"]
        rows.append(row)
    return rows


def _parameters_now(views: Views, code: str) -> list[tuple[str, Any]]:
    day = views.history.data_date.date() if views.history.data_date else date.max
    out = []
    for name in sorted(views.registry.rule_parameters()):
        value = views.state.parameter(code, name, day)
        if value is not None:
            out.append((name, value))
    return out


def _country_context(views: Views, code: str) -> dict[str, Any]:
    reg, state = views.registry, views.state
    record = reg.countries[code]
    docs = reg.rule_documents()
    documents = []
    for act in state.adoptions_of_documents.get(code, []):
        item = act.item
        documents.append(
            {
                "title": docs[item.document].title if item.document in docs else item.document,
                "version": item.version,
                "day": act.effective,
                "ref": act.ref,
                "parameters": item.parameters,
            }
        )
    adopted = {(d["title"], d["version"]) for d in documents}
    for listed in record.model.rule_documents:
        title = docs[listed.document].title if listed.document in docs else listed.document
        if (title, listed.version) not in adopted:
            documents.append(
                {
                    "title": title,
                    "version": listed.version,
                    "day": None,
                    "ref": listed.adopted_by,
                    "parameters": {},
                }
            )
    return {
        "record": record,
        "c": record.model,
        "documents": documents,
        "parameters": _parameters_now(views, code),
        "data_date": views.history.data_date.date() if views.history.data_date else None,
        "issued": views.v.totals.issued_by_country.get(code),
        "totals": views.v.totals,
        "methodologies": sorted(m for m in reg.methodologies if m[:2] == code),
        "projects": sorted(p for p in reg.projects if p[:2] == code),
        "decisions": sorted(reg.decisions_of(code), key=lambda r: r.model.date, reverse=True),
    }


def _status_list(
    out: Rendered,
    here: str,
    name: str,
    label: str,
    ids: list[str],
    page_of: Any,
    records: dict[str, Any],
    status_of: Any,
) -> dict[str, Any] | None:
    """A paged list of records by id, with their titles and derived statuses."""
    return paged(
        out,
        here,
        name,
        [
            {
                "id": i,
                "href": page_url(page_of(i)),
                "title": records[i].model.title,
                "status": status_of(i),
            }
            for i in ids
        ],
        [("id", label, "link"), ("title", "Title"), ("status", "Status")],
        [("status", "Status")],
    )


def _country_lists(
    out: Rendered, here: str, views: Views, code: str, context: dict[str, Any]
) -> dict[str, Any]:
    reg = views.registry
    prefix = f"countries/{code}"
    return {
        "methodologies_paged": _status_list(
            out,
            here,
            f"{prefix}/methodologies",
            "Methodology",
            context["methodologies"],
            links.methodology,
            reg.methodologies,
            views.methodology_status,
        ),
        "projects_paged": _status_list(
            out,
            here,
            f"{prefix}/projects",
            "Project",
            context["projects"],
            links.project,
            reg.projects,
            views.project_status,
        ),
        "decisions_paged": paged(
            out,
            here,
            f"{prefix}/decisions",
            [
                {
                    "date": d.model.date,
                    "title": d.model.title or d.key.split("/")[1],
                    "href": page_url(links.decision(d.key)),
                    "items": len(d.model.items),
                }
                for d in context["decisions"]
            ],
            [("date", "Date"), ("title", "Decision", "link"), ("items", "Items", "number")],
            sort="-date",
        ),
    }


def _project_api(views: Views, pid: str) -> bytes:
    reg, state, computed = views.registry, views.state, views.computed
    record = reg.projects[pid]
    history = state.projects[pid]
    figures = computed.projects[pid]
    periods = []
    for c in figures.periods:
        periods.append(
            {
                "period": {"start": c.period.start.isoformat(), "end": c.period.end.isoformat()},
                "methodology": c.methodology,
                "estimated": jsonable(c.estimated.quantize(Decimal("0.001")))
                if c.estimated is not None
                else None,
                "recomputed": {k: jsonable(v) for k, v in c.recomputed.values.items()}
                if c.recomputed
                else None,
                "recomputed_rounded": {k: jsonable(v) for k, v in c.recomputed.rounded.items()}
                if c.recomputed
                else None,
                "not_recomputed": c.not_recomputed or None,
                "claimed": c.claimed.model_dump(mode="json") if c.claimed else None,
                "verified": c.verified,
                "notified": c.notified,
                "notification": c.notified_ref,
                "issued": {
                    "japan": c.issued_japan,
                    "partner": c.issued_partner,
                    "total": c.issued_total,
                },
                "file": c.report.path,
            }
        )
    return _record_api(
        pid,
        links.project(pid),
        record,
        {
            "status": history.status_on(),
            "registered": {
                "date": history.registered.effective.isoformat(),
                "decision": history.registered.ref,
            }
            if history.registered
            else None,
            "timeline": [
                {"date": jsonable(s.day), "step": s.label} for s in views.project_timeline(pid)
            ],
            "periods": periods,
            "findings": [
                f.as_dict()
                for f in views.findings_of(
                    record, *reg.monitoring.get(pid, []), *reg.issuances.get(pid, [])
                )
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# Data files


def _dataset_json(tables: Tables, name: str) -> bytes:
    return exports.to_json(tables[name])


def _dataset_files(tables: Tables, name: str) -> Rendered:
    """One table as JSON (for its index page and the API), CSV and XLSX."""
    d = tables[name]
    out = Rendered()
    out.files[f"api/v1/{d.name}.json"] = exports.to_json(d)
    out.files[f"downloads/{d.name}.csv"] = exports.to_csv(d)
    out.files[f"downloads/{d.name}.xlsx"] = exports.to_xlsx(d)
    return out


def _catalogue_files(tables: Tables) -> Rendered:
    """The data package describing the tables, and the recorded serial blocks."""
    out = Rendered()
    datasets = {d.name: d for d in tables.all()}
    out.files["downloads/datapackage.json"] = exports.datapackage(
        list(datasets.values()), "jcm-registry", "JCM Registry"
    )
    blocks = sorted(
        (
            {
                "registry": row["registry"],
                "start": row["serial_start"],
                "end": row["serial_end"],
                "project": row["project"],
                "account_holder": row["account_holder"],
                "quantity": row["quantity"],
                "issued_on": jsonable(row["issued_on"]),
                "href": row["href"],
            }
            for row in datasets["issuances"].rows
            if row["serial_start"] is not None
        ),
        key=lambda b: (b["registry"] or "", b["start"]),
    )
    out.files["api/v1/serials.json"] = exports.dumps({"blocks": blocks})
    return out


def _spreadsheet_file(path: str, mid: str, compiled: Any) -> Rendered:
    """A methodology version's monitoring spreadsheet."""
    from generator.render.workbook import Target, build_workbook, workbook_bytes

    out = Rendered()
    out.files[path] = workbook_bytes(build_workbook(compiled, mid, Target()))
    return out


def _sheets(views: Views) -> dict[str, tuple[str, Any]]:
    """The methodology spreadsheets the site offers, by path: every version with equations
    that compiled."""
    sheets = {}
    for key, compiled in sorted(views.computed.versions.items()):
        if not compiled.equations or compiled.broken:
            continue
        mid, version = key.split("@")
        sheets[f"downloads/spreadsheets/JCM_{mid}_ver{version}.xlsx"] = (mid, compiled)
    return sheets


def _feed_files(views: Views) -> Rendered:
    """The Atom feeds of decisions, registrations and issuance notifications."""
    out = Rendered()
    base = ""
    reg, state = views.registry, views.state
    decisions = []
    for key, record in sorted(reg.decisions.items()):
        d = record.model
        kinds = ", ".join(sorted({ITEM_TITLES[i.type].lower() for i in d.items}))
        decisions.append(
            {
                "id": f"tag:jcm-registry,2013:decision:{key}",
                "title": f"{views.country_name(d.country)}: {d.title or 'Joint Committee decision'}",
                "day": state.effective.get(key) or d.date,
                "href": page_url(links.decision(key)),
                "summary": f"{len(d.items)} item(s): {kinds}.",
            }
        )
    registrations = []
    issuances = []
    for act in state.acts:
        item = act.item
        if item.type == "register_project" and item.project in reg.projects:
            registrations.append(
                {
                    "id": f"tag:jcm-registry,2013:registration:{item.project}",
                    "title": f"{item.project} registered",
                    "day": act.effective,
                    "href": page_url(links.project(item.project)),
                    "summary": reg.projects[item.project].model.title,
                }
            )
        if item.type == "notify_issuance":
            quantity = (
                f"{item.quantity:,} tCO2e" if item.quantity is not None else "quantity not public"
            )
            issuances.append(
                {
                    "id": f"tag:jcm-registry,2013:notification:{act.ref}",
                    "title": f"Issuance notified for {item.project} ({quantity})",
                    "day": act.effective,
                    "href": page_url(links.item(act.ref)[0]),
                    "summary": f"Joint Committee notification {act.ref}.",
                }
            )
    out.files["feeds/decisions.xml"] = feeds.atom(
        "tag:jcm-registry,2013:feeds:decisions", "JCM Joint Committee decisions", base, decisions
    )
    out.files["feeds/registrations.xml"] = feeds.atom(
        "tag:jcm-registry,2013:feeds:registrations",
        "JCM project registrations",
        base,
        registrations,
    )
    out.files["feeds/issuances.xml"] = feeds.atom(
        "tag:jcm-registry,2013:feeds:issuances", "JCM issuance notifications", base, issuances
    )
    return out


# ---------------------------------------------------------------------------------------------
# Index and special pages

INDEXES = {
    "projects": dict(
        title="Projects",
        here="projects/index.md",
        description="Every JCM project, filterable by country, methodology, sector, status, "
        "TPE and year.",
        intro="Status is derived from Joint Committee decisions, never typed; the status on the "
        "official list is shown beside it on each project's page.",
        columns=[
            ["id", "Project", "link"],
            ["title", "Title"],
            ["country_name", "Country"],
            ["status", "Status"],
            ["methodology_labels", "Methodology"],
            ["sectoral_scope", "Scope", "number"],
            ["tpe_name", "TPE"],
            ["registered_on", "Registered"],
            ["credits_issued", "Credits issued", "number"],
        ],
        filters=[
            ["country_name", "Country"],
            ["status", "Status"],
            ["methodology_labels", "Methodology"],
            ["sectoral_scope", "Sector"],
            ["tpe_name", "TPE"],
            ["registered_year", "Year registered"],
        ],
        sort="id",
    ),
    "methodologies": dict(
        title="Methodologies",
        here="methodologies/index.md",
        description="Approved and proposed JCM methodologies and their status.",
        intro="A methodology version is approved only because a Joint Committee decision says "
        "so; where the approval is not in the public record, the page says so.",
        columns=[
            ["id", "Methodology", "link"],
            ["title", "Title"],
            ["country_name", "Country"],
            ["sectoral_scope", "Scope", "number"],
            ["status", "Status"],
            ["latest_version_label", "Latest version"],
            ["projects", "Projects", "number"],
            ["recomputable", "Recomputed"],
        ],
        filters=[
            ["country_name", "Country"],
            ["status", "Status"],
            ["sectoral_scope", "Sector"],
            ["recomputable", "Recomputed"],
        ],
        sort="id",
    ),
    "countries": dict(
        title="Partner countries",
        here="countries/index.md",
        description="The JCM's partner countries, their Joint Committees, projects and credits.",
        intro="Each partner country has its own Joint Committee with Japan.",
        columns=[
            ["name", "Country", "link"],
            ["code", "Code"],
            ["signed_on", "Signed"],
            ["registered_projects", "Registered projects", "number"],
            ["decisions", "Decisions", "number"],
            ["issued_japan", "Issued (Japan)", "number"],
            ["issued_partner", "Issued (partner)", "number"],
        ],
        filters=[],
        sort="name",
    ),
    "tpes": dict(
        title="Third-party entities",
        here="tpes/index.md",
        description="Third-party entities (TPEs) and their designations.",
        intro="Each Joint Committee designates TPEs for validation and verification in given "
        "sectoral scopes, and numbers them TPE-{CC}-{NNN}.",
        columns=[
            ["name", "TPE", "link"],
            ["acronym", "Acronym"],
            ["country_names", "Countries"],
            ["designations", "Designations", "number"],
        ],
        filters=[["country_names", "Country"]],
        sort="name",
    ),
    "decisions": dict(
        title="Joint Committee decisions",
        here="decisions/index.md",
        description="The decision log of every Joint Committee, filterable by country, form, "
        "kind of item and year.",
        intro="Every status in the registry rests on one of these decisions. A meeting decision "
        "takes effect on its date; an electronic one on its adoption date.",
        columns=[
            ["date", "Date"],
            ["country_name", "Country"],
            ["label", "Decision", "link"],
            ["form", "Form"],
            ["item_types", "Items"],
            ["effective", "Took effect"],
        ],
        filters=[
            ["country_name", "Country"],
            ["form", "Form"],
            ["item_types", "Kind of item"],
            ["year", "Year"],
        ],
        sort="-date",
    ),
}


def _index_page(views: Views, name: str) -> Rendered:
    """The index page of one table (projects, methodologies, …), built in the browser from
    the table's data file."""
    out = Rendered()
    spec = INDEXES[name]
    here = spec["here"]
    L = links.Links(here)
    columns = [
        {"key": c[0], "label": c[1], "kind": c[2] if len(c) > 2 else ""} for c in spec["columns"]
    ]
    filters = [{"key": f[0], "label": f[1]} for f in spec["filters"]]
    out.pages[here] = _render(
        "index.html.j2",
        here,
        views,
        table=name,
        page_title=spec["title"],
        page_description=spec["description"],
        intro=spec["intro"],
        source=L.static(f"api/v1/{name}.json"),
        base=L.static(""),
        csv=L.static(f"downloads/{name}.csv"),
        columns=columns,
        filters=filters,
        sort=spec["sort"],
        page_size=50,
    )
    return out


def _data_date(views: Views) -> date | None:
    return views.history.data_date.date() if views.history.data_date else None


def _windows(datasets: Tables) -> list[dict[str, Any]]:
    """The public-input windows, each with the page of its subject."""
    return [
        {
            "label": r["subject"],
            "kind": r["kind"],
            "start": r["start"],
            "end": r["end"],
            "days": r["days"],
            "target": (
                links.methodology(r["subject"].split(" ")[0])
                if r["kind"] == "methodology"
                else links.project(r["subject"])
            ),
        }
        for r in datasets["public-inputs"].rows
    ]


def _home_page(views: Views, datasets: Tables) -> Rendered:
    out = Rendered()
    totals = views.v.totals
    reg, state = views.registry, views.state
    latest = sorted(
        (
            {
                "day": state.effective.get(k) or r.model.date,
                "country": r.model.country,
                "key": k,
                "title": views.decision_title(r),
            }
            for k, r in reg.decisions.items()
        ),
        key=lambda d: (d["day"], d["key"]),
        reverse=True,
    )[:10]
    # One series per registry side, all countries together: a series per country would grow
    # the home page with the registry (each country's own figures are on its page).
    years = sorted({year for (year, _c) in totals.issued_by_year})
    issued_series = []
    for side, label in (
        ("japan", "Japan's registry"),
        ("partner", "partner countries' registries"),
        ("unsplit", "not split between registries"),
    ):
        by_year = {y: 0 for y in years}
        for (year, _code), figures in totals.issued_by_year.items():
            by_year[year] += getattr(figures, side) or 0
        points = [(str(y), by_year[y]) for y in years if by_year[y]]
        if points:
            issued_series.append((label, points))
    status_series = [
        (
            "projects",
            sorted(((s, n) for s, n in totals.projects_by_status.items()), key=lambda x: -x[1]),
        )
    ]
    scopes = {s.number: s.title for s in reg.scopes().values()}
    scope_series = [
        (
            "projects",
            [
                (f"{k} {scopes.get(k, '')}".strip() if k else "not recorded", n)
                for k, n in sorted(totals.projects_by_scope.items())
            ],
        )
    ]
    here = "index.md"
    out.pages[here] = _render(
        "home.html.j2",
        here,
        views,
        totals=totals,
        latest=latest,
        windows=_windows(datasets),
        data_date=_data_date(views),
        chart_issued=Markup(
            charts.bar_chart(
                "Credits issued per year, by registry", issued_series, " tCO2e", ordered=True
            )
        ),
        chart_status=Markup(
            charts.bar_chart("Projects by status (derived from decisions)", status_series)
        ),
        chart_scope=Markup(charts.bar_chart("Projects by sectoral scope", scope_series)),
    )
    return out


def _integrity_page(views: Views) -> Rendered:
    out = Rendered()
    here = "integrity/index.md"
    coverage = views.v.coverage
    rules = views.v.integrity
    concerned = [
        {
            "code": r.code,
            "severity": str(f.severity),
            "path": path,
            "href": page_url(views.page_of_path(path)) if views.page_of_path(path) else "",
            "message": f.message,
        }
        for r in rules
        for path, f in r.records.items()
    ]
    findings_paged = (
        paged(
            out,
            here,
            "integrity/findings",
            concerned,
            [
                ("code", "Code"),
                ("severity", "Severity"),
                ("path", "Record", "link"),
                ("message", "What"),
            ],
            [("code", "Code"), ("severity", "Severity")],
        )
        if any(len(r.records) > INLINE_ROWS for r in rules)
        else None
    )
    out.pages[here] = _render(
        "integrity.html.j2",
        here,
        views,
        rules=rules,
        findings_paged=findings_paged,
        inline_rows=INLINE_ROWS,
        coverage=coverage,
        coverage_columns=[c for c in coverage if c.by_country],
        coverage_countries=sorted({code for c in coverage for code in c.by_country}),
    )
    return out


def _issuances_page(views: Views, datasets: Tables) -> Rendered:
    out = Rendered()
    here = "issuances/index.md"
    L = links.Links(here)
    d = datasets["issuances"]
    columns = [
        {"key": "project", "label": "Project", "kind": "link"},
        {"key": "registry_name", "label": "Registry", "kind": ""},
        {"key": "account_holder", "label": "Account holder", "kind": ""},
        {"key": "quantity", "label": "Quantity", "kind": "number"},
        {"key": "serial_start", "label": "Serial from", "kind": "serial"},
        {"key": "serial_end", "label": "Serial to", "kind": "serial"},
        {"key": "issued_on", "label": "Issued", "kind": ""},
        {"key": "notified_on", "label": "Notified", "kind": ""},
    ]
    blocks = sum(1 for r in d.rows if r["serial_start"] is not None)
    out.pages[here] = _render(
        "issuances.html.j2",
        here,
        views,
        source=L.static("api/v1/issuances.json"),
        serials=L.static("api/v1/serials.json"),
        base=L.static(""),
        csv=L.static("downloads/issuances.csv"),
        columns=columns,
        filters=[
            {"key": "country", "label": "Country"},
            {"key": "registry_name", "label": "Registry"},
            {"key": "project", "label": "Project"},
        ],
        registries=sorted({r["country"] for r in d.rows}),
        blocks_note=(
            f"{blocks} serial block(s) are recorded."
            if blocks
            else "No serial block is in the public record yet: the serial-number format of "
            "the JCM registries is not published."
        ),
    )
    return out


def _public_inputs_page(views: Views, datasets: Tables) -> Rendered:
    out = Rendered()
    here = "public-inputs/index.md"
    windows = _windows(datasets)
    data_date = _data_date(views)
    out.pages[here] = _render(
        "public_inputs.html.j2",
        here,
        views,
        windows=windows,
        data_date=data_date,
        windows_paged=paged(
            out,
            here,
            "public-inputs",
            [
                {
                    **w,
                    "href": page_url(w["target"]),
                    "now": (
                        ""
                        if not data_date
                        else "closed as of the data date"
                        if w["end"] < data_date
                        else "open as of the data date"
                    ),
                }
                for w in windows
            ],
            [
                ("label", "Subject", "link"),
                ("kind", "Kind"),
                ("start", "From"),
                ("end", "To"),
                ("days", "Days", "number"),
                ("now", "Now", "window"),
            ],
            [("kind", "Kind")],
            sort="-start",
        ),
    )
    return out


def _changelog_page(views: Views, pages: Collection[str]) -> Rendered:
    """The latest changes, each file linked to its page among `pages`, and every change in
    `api/v1/changelog.json`."""
    out = Rendered()
    here = "changelog/index.md"
    out.files["api/v1/changelog.json"] = exports.dumps(
        {
            "commits": [
                {
                    "commit": c.sha,
                    "date": c.date.isoformat(),
                    "author": c.author,
                    "subject": c.subject,
                    "files": list(c.files),
                }
                for c in views.history.commits
            ]
        }
    )
    out.pages[here] = _render(
        "changelog.html.j2",
        here,
        views,
        max_commits=CHANGELOG_COMMITS,
        max_files=CHANGELOG_FILES,
        commits=views.history.commits,
        repository=views.config.repository,
        commit_url=views.commit_url,
        page_of=lambda path: (
            views.page_of_path(path) if views.page_of_path(path) in pages else None
        ),
    )
    return out


def _data_page(views: Views, datasets: Tables) -> Rendered:
    out = Rendered()
    here = "data/index.md"
    out.pages[here] = _render(
        "data.html.j2",
        here,
        views,
        datasets=datasets.all(),
        rule=safe.RULE,
        example=min(views.registry.projects, default=None),
    )
    return out
