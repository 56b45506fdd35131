"""Statuses as a fold over the decision log, at any date.

Every status the registry shows — a methodology version approved or superseded, a project
planned, registered or withdrawn, a TPE designated for a scope and function, the rule parameters
in force — follows from JC decision items taken in order of their effective dates. Nothing here
reads a typed status.

Effective dates (data contract): a meeting decision takes effect on its date; an electronic one
on its adoption date, computed from the recorded assertions under the electronic-decision rule
in force at distribution, else on the date it carries.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from generator.link.registry import ItemRef, Registry

Basis = Literal["adopted", "draft", "unverified"]


@dataclass(frozen=True)
class Act:
    """A decision item together with the date it took effect."""

    effective: date
    item_ref: ItemRef

    @property
    def item(self) -> Any:
        return self.item_ref.item

    @property
    def ref(self) -> str:
        return self.item_ref.ref

    @property
    def sort_key(self) -> tuple:
        return (self.effective, self.item_ref.decision.key, self.item_ref.index)


@dataclass(frozen=True)
class Adoption:
    """How an electronic decision's adoption date was established."""

    decision: str
    adopted: bool
    on: date
    how: Literal["as-published", "co-chairs", "all-members", "not-adopted"]
    window_days: int | None = None
    negative: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParamValue:
    value: Decimal
    basis: Basis
    origin: str
    """The adopting decision item, or `default` (data/reference/rule-documents.yaml)."""
    always_warning: bool = False


@dataclass
class VersionHistory:
    """The life of one methodology version."""

    key: str
    approved: Act | None = None
    superseded: Act | None = None
    withdrawn: Act | None = None

    def status_on(self, day: date | None = None) -> str:
        def done(act: Act | None) -> bool:
            return act is not None and (day is None or act.effective <= day)

        if done(self.withdrawn):
            return "withdrawn"
        if done(self.superseded):
            return "superseded"
        if done(self.approved):
            return "approved"
        return "not approved"

    def valid_on(self, day: date) -> bool:
        return self.status_on(day) == "approved"


@dataclass
class ProjectHistory:
    """The life of one project as its decisions tell it."""

    project: str
    planned: Act | None = None
    registered: Act | None = None
    registration_request_withdrawn: Act | None = None
    withdrawn: Act | None = None
    renewals: list[Act] = field(default_factory=list)
    changes: list[Act] = field(default_factory=list)
    notifications: list[Act] = field(default_factory=list)
    issuance_request_withdrawals: list[Act] = field(default_factory=list)

    def status_on(self, day: date | None = None) -> str:
        def done(act: Act | None) -> bool:
            return act is not None and (day is None or act.effective <= day)

        if done(self.withdrawn):
            return "withdrawn"
        if done(self.registered):
            return "registered"
        if done(self.registration_request_withdrawn):
            return "registration request withdrawn"
        if done(self.planned):
            return "planned"
        return "not registered"


@dataclass(frozen=True)
class Span:
    """A TPE may act for (country, function, scope) from `start` to `end` (both included)."""

    tpe: str
    country: str
    function: str
    scope: int
    start: date | None
    end: date | None
    origin: str
    end_unknown: bool = False
    """Withdrawn on a date the source does not give."""

    def covers(self, day: date) -> bool | None:
        if self.start is not None and day < self.start:
            return False
        if self.end is not None and day > self.end:
            return False
        if self.end_unknown:
            return None
        return True


@dataclass
class State:
    """The decision log folded into every record's history."""

    acts: list[Act] = field(default_factory=list)
    effective: dict[str, date] = field(default_factory=dict)
    """Decision key → the date it took effect (absent: not adopted)."""
    adoptions: dict[str, Adoption] = field(default_factory=dict)
    versions: dict[str, VersionHistory] = field(default_factory=dict)
    projects: dict[str, ProjectHistory] = field(default_factory=dict)
    pins: dict[str, Act] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    suspensions: list[Span] = field(default_factory=list)
    adoptions_of_documents: dict[str, list[Act]] = field(default_factory=dict)
    """Country → adopt_rule_document acts in effective order."""
    registry: Registry | None = None
    spans_by_tpe: dict[tuple[str, str], list[Span]] = field(default_factory=dict, repr=False)
    """(TPE slug, country) → its spans, indexed once the fold is done."""
    suspensions_by_tpe: dict[tuple[str, str], list[Span]] = field(default_factory=dict, repr=False)

    def index_spans(self) -> None:
        self.spans_by_tpe = {}
        for span in self.spans:
            self.spans_by_tpe.setdefault((span.tpe, span.country), []).append(span)
        self.suspensions_by_tpe = {}
        for span in self.suspensions:
            self.suspensions_by_tpe.setdefault((span.tpe, span.country), []).append(span)

    # -- rule parameters ---------------------------------------------------------------------

    def parameter(self, country: str, name: str, day: date) -> ParamValue | None:
        """The value of a rule parameter in force for a country on a day, with its basis."""
        assert self.registry is not None
        spec = self.registry.rule_parameters().get(name)
        acts = self.adoptions_of_documents.get(country, [])
        cut = bisect_right([a.effective for a in acts], day)
        document = _document_of(self.registry, name)
        stale = False
        for act in reversed(acts[:cut]):
            item = act.item
            if item.document != document:
                continue
            if name in item.parameters:
                decision = act.item_ref.decision
                marked = f"items[{act.item_ref.index}].parameters.{name}"
                basis: Basis = (
                    "unverified" if stale or marked in decision.model.unverified else "adopted"
                )
                return ParamValue(
                    item.parameters[name], basis, act.ref, bool(spec and spec.always_warning)
                )
            stale = True  # a newer version was adopted without this parameter being read
        if spec is None or spec.default is None:
            return None
        return ParamValue(
            spec.default, spec.default_basis or "unverified", "default", spec.always_warning
        )

    # -- TPE designations --------------------------------------------------------------------

    def tpe_may(
        self, tpe: str, country: str, function: str, scope: int | None, day: date
    ) -> tuple[bool | None, str]:
        """May `tpe` act as `function` for `scope` in `country` on `day`? (yes/no/unknown)."""
        spans = self.spans_by_tpe.get((tpe, country), [])
        if not spans:
            return None, "no designation of this TPE by this country is recorded"
        for s in self.suspensions_by_tpe.get((tpe, country), []):
            if (
                s.function in (function, "any")
                and (scope is None or s.scope in (scope, 0))
                and s.covers(day)
            ):
                return False, f"suspended ({s.origin})"
        relevant = [s for s in spans if scope is None or s.scope in (scope, 0)]
        exact = [s for s in relevant if s.function == function]
        for s in exact:
            if s.covers(day):
                return True, s.origin
        unknown = [s for s in exact if s.covers(day) is None]
        unknown += [s for s in relevant if s.function == "unstated" and s.covers(day) is not False]
        if unknown:
            return None, "the designation's function or end date is not public"
        if not relevant:
            return False, f"not designated for sectoral scope {scope}"
        return False, f"not designated for {function} in scope {scope} on {day}"


def _document_of(registry: Registry, name: str) -> str | None:
    for doc in registry.rule_documents().values():
        if any(p.id == name for p in doc.parameters):
            return doc.id
    return None


# ---------------------------------------------------------------------------------------------
# The fold


def fold(registry: Registry) -> State:
    """Fold the decision log into the state of every record.

    Decisions are taken in order of (effective date, decision, item), so the state does not
    depend on the order in which files were read.
    """
    state = State(registry=registry)
    naive = {key: d.model.date for key, d in registry.decisions.items()}
    _collect_document_adoptions(state, registry, naive)
    for key, record in sorted(registry.decisions.items()):
        model = record.model
        if model.electronic is not None and model.electronic.assertions:
            adoption = _adopt_electronic(state, registry, key)
            state.adoptions[key] = adoption
            if adoption.adopted:
                state.effective[key] = adoption.on
        else:
            state.effective[key] = model.date
    _collect_document_adoptions(state, registry, state.effective)
    state.acts = sorted(
        (
            Act(state.effective[ref.decision.key], ref)
            for ref in registry.items.values()
            if ref.decision.key in state.effective
        ),
        key=lambda a: a.sort_key,
    )
    for key in registry.versions:
        state.versions[key] = VersionHistory(key)
    for pid in registry.projects:
        state.projects[pid] = ProjectHistory(pid)
    for act in state.acts:
        _apply(state, registry, act)
    _published_designations(state, registry)
    state.index_spans()
    return state


def _collect_document_adoptions(state: State, registry: Registry, dates: dict[str, date]) -> None:
    by_country: dict[str, list[Act]] = {}
    for ref in registry.items.values():
        key = ref.decision.key
        if ref.item.type == "adopt_rule_document" and key in dates:
            by_country.setdefault(ref.country, []).append(Act(dates[key], ref))
    state.adoptions_of_documents = {
        c: sorted(acts, key=lambda a: a.sort_key) for c, acts in sorted(by_country.items())
    }


def members_on(registry: Registry, country: str, day: date) -> list[Any] | None:
    """Members of a country's JC on a day, or None when membership is not recorded."""
    record = registry.countries.get(country)
    jc = record.model.joint_committee if record else None
    if jc is None or not jc.members:
        return None
    return [
        m
        for m in jc.members
        if (m.since is None or m.since <= day) and (m.until is None or day <= m.until)
    ]


def _adopt_electronic(state: State, registry: Registry, key: str) -> Adoption:
    """Apply the electronic-decision rule to the recorded assertions.

    Adopted when (i) no member asserted negatively within N calendar days after distribution
    and both co-chairs asserted affirmatively — on the later of the N-th day and the co-chairs'
    last affirmation — or (ii) every member asserted affirmatively — on the last affirmation.
    """
    record = registry.decisions[key]
    model = record.model
    electronic = model.electronic
    distributed = electronic.distributed_on
    assertions = electronic.assertions
    if distributed is None:
        return Adoption(key, True, model.date, "as-published")
    window = state.parameter(model.country, "electronic-decision-days", distributed)
    days = int(window.value) if window else 20
    deadline = distributed + timedelta(days=days)
    negatives = tuple(
        a.member for a in assertions if a.assertion == "negative" and a.on <= deadline
    )
    candidates: list[tuple[date, str]] = []
    chairs = {a.side: a for a in assertions if a.co_chair and a.assertion == "affirmative"}
    if not negatives and {"japan", "partner"} <= set(chairs):
        last_chair = max(a.on for a in chairs.values())
        candidates.append((max(deadline, last_chair), "co-chairs"))
    members = members_on(registry, model.country, distributed)
    if members:
        affirmed = {a.member: a.on for a in assertions if a.assertion == "affirmative"}
        if all(m.name in affirmed for m in members):
            candidates.append((max(affirmed[m.name] for m in members), "all-members"))
    if candidates:
        on, how = min(candidates)
        return Adoption(key, True, on, how, days, negatives)  # type: ignore[arg-type]
    return Adoption(key, False, model.date, "not-adopted", days, negatives)


def _apply(state: State, registry: Registry, act: Act) -> None:
    item = act.item
    kind = item.type
    if kind in ("approve_methodology", "approve_methodology_with_revision"):
        key = f"{item.methodology}@{item.version}"
        history = state.versions.get(key)
        if history is None:
            return
        if history.approved is None:
            history.approved = act
        for other_key, other in state.versions.items():
            same = other_key.split("@")[0] == item.methodology
            if (
                same
                and other_key != key
                and other.approved is not None
                and other.superseded is None
                and other_key.split("@")[1] < item.version
            ):
                other.superseded = act
    elif kind == "withdraw_methodology":
        for key, history in state.versions.items():
            mid, version = key.split("@")
            if (
                mid == item.methodology
                and (item.version is None or item.version == version)
                and history.withdrawn is None
            ):
                history.withdrawn = act
    elif kind == "no_objection_pin":
        state.pins.setdefault(item.pin, act)
        for pid, record in registry.projects.items():
            if (pid == item.pin or record.model.pin == item.pin) and state.projects[
                pid
            ].planned is None:
                state.projects[pid].planned = act
    elif kind == "designate_tpe":
        start = item.valid_from or act.effective
        if item.scopes is None:  # designated, scopes and functions not public
            state.spans.append(
                Span(
                    item.tpe, act.item_ref.country, "unstated", 0, start, item.valid_until, act.ref
                )
            )
        for function in ("validation", "verification", "unstated"):
            for scope in getattr(item.scopes, function, None) or []:
                state.spans.append(
                    Span(
                        item.tpe,
                        act.item_ref.country,
                        function,
                        scope,
                        start,
                        item.valid_until,
                        act.ref,
                    )
                )
    elif kind == "withdraw_tpe_designation":
        _end_spans(
            state, item.tpe, act.item_ref.country, item.scopes, act.effective - timedelta(days=1)
        )
    elif kind == "suspend_tpe":
        scopes = item.scopes
        targets: list[tuple[str, int]] = []
        if scopes is None:
            targets = [("any", 0)]
        else:
            for function in ("validation", "verification", "unstated"):
                fn = "any" if function == "unstated" else function
                targets += [(fn, s) for s in getattr(scopes, function) or []]
        for function, scope in targets:
            state.suspensions.append(
                Span(
                    item.tpe,
                    act.item_ref.country,
                    function,
                    scope,
                    act.effective,
                    item.until,
                    act.ref,
                )
            )
    else:
        history = state.projects.get(getattr(item, "project", ""))
        if history is None:
            return
        if kind == "register_project":
            history.registered = history.registered or act
        elif kind == "withdraw_registration_request":
            history.registration_request_withdrawn = history.registration_request_withdrawn or act
        elif kind == "withdraw_project":
            history.withdrawn = history.withdrawn or act
        elif kind == "renew_crediting_period":
            history.renewals.append(act)
        elif kind == "approve_post_registration_change":
            history.changes.append(act)
        elif kind == "notify_issuance":
            history.notifications.append(act)
            for other in item.joint_with:
                if other in state.projects:
                    state.projects[other].notifications.append(act)
        elif kind == "withdraw_issuance_request":
            history.issuance_request_withdrawals.append(act)


def _end_spans(state: State, tpe: str, country: str, scopes: Any, last_day: date) -> None:
    kept: list[Span] = []
    for span in state.spans:
        hit = (
            span.tpe == tpe
            and span.country == country
            and (
                scopes is None
                or span.scope in (getattr(scopes, span.function, None) or [])
                or span.scope in (scopes.unstated or [])
            )
        )
        if hit and (span.end is None or span.end > last_day):
            span = Span(
                span.tpe, span.country, span.function, span.scope, span.start, last_day, span.origin
            )
        kept.append(span)
    state.spans = kept


def _published_designations(state: State, registry: Registry) -> None:
    """Designations printed on countries' TPE lists count as designations too."""
    for slug, record in sorted(registry.tpes.items()):
        for i, d in enumerate(record.model.designations):
            origin = f"{d.number} on the published TPE list"
            end = d.valid_until
            if d.withdrawn_on is not None:
                end = (
                    min(end, d.withdrawn_on - timedelta(days=1))
                    if end
                    else d.withdrawn_on - timedelta(days=1)
                )
            for function in ("validation", "verification", "unstated"):
                for scope in getattr(d.scopes, function) or []:
                    state.spans.append(
                        Span(
                            slug,
                            d.country,
                            function,
                            scope,
                            d.designated_on,
                            end,
                            origin,
                            end_unknown=d.withdrawn and d.withdrawn_on is None,
                        )
                    )
            if d.suspended:
                state.suspensions.append(Span(slug, d.country, "any", 0, None, None, origin))
            del i
