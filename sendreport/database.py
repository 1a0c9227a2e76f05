"""Datasets read from a database named in ``mapping.toml`` (any SQLAlchemy URL).

::

    [ehcp_requests]
    url = "postgresql+psycopg://reporting@warehouse.example.org:5432/send"
    credentials_env = "SENDREPORT_DB_PASSWORD"   # the password, or user:password
    query = "select * from send.ehcp_requests where la = '884'"   # or: table = "send.ehcp_requests"

Credentials never live in ``mapping.toml``: a password in the URL is refused, and the one
in the environment variable is never printed. A database that cannot be reached is exit 2
naming the host. The result then goes through the same column and value mapping as a file
(:func:`sendreport.mapping.map_cells`), and its rows are named "row n of the query".
"""

from __future__ import annotations

import io
import os
from typing import Any

import pandas as pd

from sendreport.mapping import DatasetMapping, Mapped, map_cells, mapping_error

CONNECT_TIMEOUT_S = 10


def database_url(mapping: DatasetMapping) -> Any:
    """The SQLAlchemy URL with credentials from the environment (never from the file)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(str(mapping.url))
    except (ArgumentError, ValueError):
        raise mapping_error(
            mapping.dataset,
            "url is not a database URL",
            'write it as url = "postgresql+psycopg://user@host:5432/database"',
        ) from None
    if url.password:
        raise mapping_error(
            mapping.dataset,
            f"url for host {url.host!r} holds a password; credentials must not be written in "
            "mapping.toml",
            'remove it from the url and set credentials_env = "NAME_OF_AN_ENVIRONMENT_VARIABLE" '
            "holding the password (or user:password)",
        )
    if not (mapping.query or mapping.table) or (mapping.query and mapping.table):
        raise mapping_error(
            mapping.dataset,
            "a database dataset needs exactly one of query or table",
            'add query = "select …" or table = "schema.table"',
        )
    if mapping.credentials_env:
        secret = os.environ.get(mapping.credentials_env)
        if not secret:
            raise mapping_error(
                mapping.dataset,
                f"the environment variable {mapping.credentials_env} named by credentials_env "
                "is not set",
                f"set {mapping.credentials_env} to the password (or user:password) before "
                "running sendreport",
            )
        user, _, password = secret.rpartition(":")
        url = url.set(username=user or url.username, password=password)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3, not psycopg2
    return url


def fetch_rows(mapping: DatasetMapping) -> pd.DataFrame:
    """Run the query (or read the table); unreachable or failing is exit 2, host named."""
    import sqlalchemy as sa

    url = database_url(mapping)
    host = f"{url.host or 'localhost'}{':' + str(url.port) if url.port else ''}"
    connect_args = (
        {"connect_timeout": CONNECT_TIMEOUT_S}
        if url.get_backend_name()
        in (
            "postgresql",
            "mysql",
        )
        else {}
    )
    try:
        engine = sa.create_engine(url, connect_args=connect_args)
    except Exception as err:  # unknown driver, bad options
        raise mapping_error(
            mapping.dataset,
            f"cannot use the database url for host {host} ({type(err).__name__})",
            "check the url's driver name, e.g. postgresql+psycopg://",
        ) from None
    if mapping.table:
        schema, _, name = str(mapping.table).rpartition(".")
        statement: Any = sa.select(sa.text("*")).select_from(sa.table(name, schema=schema or None))
    else:
        statement = sa.text(str(mapping.query))
    try:
        with engine.connect() as connection:
            return pd.read_sql(statement, connection, dtype_backend="numpy_nullable")
    except sa.exc.OperationalError as err:
        raise mapping_error(
            mapping.dataset,
            f"cannot reach the database at {host} ({first_line(err)})",
            "check the host, port and database name, that the server accepts connections "
            "from this machine, and the credentials in the environment variable "
            f"{mapping.credentials_env or '(credentials_env)'}",
        ) from None
    except sa.exc.DBAPIError as err:
        raise mapping_error(
            mapping.dataset,
            f"the database at {host} refused the {'table' if mapping.table else 'query'} "
            f"({first_line(err)})",
            "check the table name or run the query in a SQL client first",
        ) from None
    finally:
        engine.dispose()


def first_line(err: Any) -> str:
    """The driver's own message, first line only, with nothing secret in it."""
    text = str(getattr(err, "orig", err)).strip().splitlines()
    line = text[0] if text else type(err).__name__
    return line.split("password", 1)[0].strip() or "authentication failed"


def read_mapped_query(mapping: DatasetMapping) -> Mapped:
    """A database dataset as contract-named text columns, its rows named in the result."""
    from sendreport.load import _cell_to_text

    result = fetch_rows(mapping)
    header = pd.DataFrame([[str(c) for c in result.columns]])
    body = pd.DataFrame(
        [
            [_cell_to_text(None if pd.isna(v) else v) for v in row]
            for row in result.itertuples(index=False)
        ]
    )
    cells = pd.concat([header, body], ignore_index=True)
    what = f"table {mapping.table}" if mapping.table else "query"
    url = database_url_text(mapping)
    mapped_view = DatasetMapping(**{**mapping.__dict__, "header_row": 1})
    digest = io.StringIO()
    result.to_csv(digest, index=False)
    return map_cells(
        cells,
        mapped_view,
        f"database {what}",
        origin=f"database {what} at {url} (via mapping.toml)",
        row_label=lambda n: f"database {what}, result row {n - 1}",
        digest_source=f"{url}\n{mapping.query or mapping.table}\n{digest.getvalue()}",
    )


def database_url_text(mapping: DatasetMapping) -> str:
    """The URL as it may be shown: no password (there is none in the file anyway)."""
    from sqlalchemy.engine import make_url

    return make_url(str(mapping.url)).render_as_string(hide_password=True)
