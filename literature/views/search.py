"""Search over the cluster's references in the browser, and the export of the hits."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.directory import cluster_names
from klynge.errors import DomainError
from klynge.views.common import Form, form_failed, render, text
from literature import service
from literature.views import common as c

PER_PAGE = 25
FILTERS = ("q", "year_from", "year_to", "evidence_type", "summarised", "language", "source")
PAIRS = (*FILTERS, "cluster_id")


def _filters(get_one: Any, get_all: Any) -> dict[str, Any]:
    return {
        "q": (get_one("q") or "").strip()[:500],
        "year_from": c.int_or_none(get_one("year_from") or ""),
        "year_to": c.int_or_none(get_one("year_to") or ""),
        "evidence_type": [v for v in get_all("evidence_type") if v in c.EVIDENCE_LABELS],
        "summarised": (get_one("summarised") or "") == "1",
        "language": (get_one("language") or "").strip()[:20],
        "source": (get_one("source") or "").strip()[:120],
    }


def _params(filters: dict[str, Any], **extra: Any) -> service.SearchParams:
    return service.SearchParams(
        q=filters["q"],
        year_from=filters["year_from"],
        year_to=filters["year_to"],
        evidence_types=list(filters["evidence_type"]),
        summarised=filters["summarised"],
        language=filters["language"],
        source=filters["source"],
        **extra,
    )


def _query_pairs(filters: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters as (name, value) pairs for links and hidden fields (lists repeated)."""
    pairs: list[tuple[str, str]] = []
    for name in PAIRS:
        value = filters.get(name)
        if isinstance(value, list):
            pairs += [(name, v) for v in value]
        elif value is True:
            pairs.append((name, "1"))
        elif value not in ("", None, False):
            pairs.append((name, str(value)))
    return pairs


@get("/litteratur", guards=[requires_authenticated], include_in_schema=False, name="literature")
async def literature_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    query = request.query_params
    filters = _filters(query.get, lambda name: query.getall(name, []))
    page = max(1, c.int_or_none(query.get("page", "1")) or 1)
    form = Form("search", FILTERS)
    clusters = await cluster_names(None if actor.is_admin else sorted(actor.cluster_ids))
    cluster_id = c.int_or_none(query.get("cluster_id", ""))
    if cluster_id not in clusters:
        # An admin searches one cluster at a time; members search all of theirs.
        cluster_id = next(iter(clusters), -1) if actor.is_admin else None
    filters["cluster_id"] = cluster_id if len(clusters) > 1 else None
    result = None
    status = 200
    try:
        result = await service.search_references(
            actor, _params(filters, page=page, per_page=PER_PAGE, cluster_id=cluster_id)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        form.fail(exc)
        status = exc.status
    pairs = _query_pairs(filters)
    pages = max(1, -(-result.total // PER_PAGE)) if result else 1
    return render(
        "literature/search.html",
        form=form,
        failed=form if form.failed else None,
        filters=filters,
        result=result,
        phrase_checks=f"{service.search.PHRASE_CHECKS:,}".replace(",", "\u00a0"),
        pages=pages,
        page_link=lambda number: "/litteratur?" + urlencode([*pairs, ("page", str(number))]),
        pairs=pairs,
        clusters=clusters,
        is_admin=actor.is_admin,
        may_manage=c.manages_any(actor),
        status=status,
        **c.labels(),
    )


@post("/litteratur/eksport", guards=[requires_authenticated], include_in_schema=False)
async def literature_export(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Response[bytes]:
    """Every hit of the search as a file (a POST form: a download is not a page)."""

    def get_all(name: str) -> list[str]:
        value = data.get(name, [])
        return value if isinstance(value, list) else [value]

    filters = _filters(lambda name: text(data, name), get_all)
    cluster_id = c.int_or_none(text(data, "cluster_id"))
    if cluster_id is None and actor.is_admin:
        cluster_id = next(iter(await cluster_names()), -1)
    content, media_type, filename = await service.export_references(
        actor,
        text(data, "format") or "ris",
        ids=None,
        params=_params(filters, cluster_id=cluster_id),
    )
    return _file(content, media_type, filename)


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


HANDLERS = [literature_page, literature_export]
