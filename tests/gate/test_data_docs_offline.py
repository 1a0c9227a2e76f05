"""GX Data Docs pages rewritten so opening them fetches nothing (sendreport.datadocs)."""

from __future__ import annotations

from pathlib import Path

from sendreport.datadocs import OFFLINE_POLICY, make_data_docs_offline

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<link rel="stylesheet" href="//cdn.example/x.css"/>
<link rel="shortcut icon" href="{up}static/images/favicon.ico"/>
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script>$(function () {{ loadTable(); }});</script>
<style>.ok {{ color: #111; }}</style>
</head><body><nav><img src="https://assets.example/logo-long.png?d=20261130T045026Z"/></nav>
<p>Observed value &lt;script&gt;alert(1)&lt;/script&gt;</p>
<form action="https://greatexpectations.io/newsletter"><input name="email"/></form>
<a href="https://docs.greatexpectations.io/">GX docs</a></body></html>
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "data_docs"
    (site / "validations" / "targets" / "run").mkdir(parents=True)
    (site / "expectations").mkdir()
    (site / "index.html").write_text(PAGE.format(up=""), encoding="utf-8")
    (site / "validations" / "targets" / "run" / "targets.html").write_text(
        PAGE.format(up="../../../"), encoding="utf-8"
    )
    (site / "expectations" / "targets.html").write_text(PAGE.format(up="../"), encoding="utf-8")
    return site


def test_remote_assets_are_removed_and_a_policy_added(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert make_data_docs_offline(site) == 3
    page = (site / "validations" / "targets" / "run" / "targets.html").read_text("utf-8")
    assert "bootstrapcdn" not in page and "cdn.example" not in page and "jquery" not in page
    assert "<script" not in page and "newsletter" not in page
    assert f'content="{OFFLINE_POLICY}"' in page
    assert 'src="../../../static/images/logo-long.png"' in page  # the site's own copy
    assert "../../../static/images/favicon.ico" in page and ".ok" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # data stays text
    assert 'href="https://docs.greatexpectations.io/"' in page  # a link is not a fetch


def test_index_lists_every_page_without_scripts(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "validations" / "commentary" / "run").mkdir(parents=True)
    (site / "validations" / "commentary" / "run" / "commentary.html").write_text(
        PAGE.format(up="../../../"), encoding="utf-8"
    )
    make_data_docs_offline(site, failed=frozenset({"targets"}))
    index = (site / "index.html").read_text("utf-8")
    # The dataset that broke a rule comes first, marked; the others follow, unmarked.
    assert index.index("validations/targets/") < index.index("validations/commentary/")
    assert index.count("rules broken") == 1
    assert 'href="validations/targets/run/targets.html"' in index
    assert 'href="expectations/targets.html"' in index
    assert "Validation results" in index and "Expectation suites" in index
