"""Datasette plugin: the findings queries of the corpus show each finding's review.

Every connection to the corpus gets the SQL function ``huibao_finding_key`` and the reviews file
(``HUIBAO_REVIEWS_DB``, set by ``huibao serve``) attached read-only as ``reviews``; without one, an
empty in-memory ``reviews`` (``pipeline.reviews.prepare``). The reviews file itself is served as
its own database, written only by its canned query ``mark_finding``. A ``finding_key`` cell links to
that query with the key filled in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from pipeline import reviews

_KEY = re.compile(rf"[0-9a-f]{{{reviews.KEY_LENGTH}}}")


def reviews_path() -> Path | None:
    path = os.environ.get("HUIBAO_REVIEWS_DB")
    return Path(path) if path else None


@hookimpl
def prepare_connection(conn, database, datasette):
    path = reviews_path()
    if database.startswith("_") or (path is not None and database == path.stem):
        return  # Datasette's own databases; the reviews file (its write connection too)
    reviews.prepare(conn, path)


@hookimpl
def render_cell(value, column, table, database, datasette):
    path = reviews_path()
    if column != "finding_key" or path is None or database == path.stem or not isinstance(value, str) \
            or not _KEY.fullmatch(value):
        return None
    url = datasette.urls.database(path.stem) + "/mark_finding?" + urlencode({"finding_key": value})
    return Markup(f'<a href="{escape(url)}" title="mark this finding reviewed">{escape(value)}</a>')
