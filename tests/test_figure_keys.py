"""Stable figure keys (report, id, period, area, role) and the audit edition's cell labels."""

from __future__ import annotations

from datetime import date

import nbformat

from sendreport.figures import FIGURE_MIME, figure_role
from sendreport.periods import Period
from sendreport.render import render_body
from sendreport.verify import compare_figures

Q4 = Period.parse("2023-24-Q4")


def test_roles_say_how_a_period_stands_to_the_report() -> None:
    roles = {
        Q4: "current",
        Q4.previous_quarter(): "previous_quarter",
        Q4.same_period_last_year(): "same_quarter_last_year",
        Q4.financial_year_to_date(): "financial_year_to_date",
        Q4.financial_year_to_date().same_period_last_year(): "financial_year_to_date_last_year",
        Period.calendar_year(2023): "latest_calendar_year",
        Period.calendar_year(2021): "calendar_year_minus_2",
        Period.snapshot(Q4.end): "current",
        Period.month(2023, 3): "month_minus_12",
        Q4.quarters_back(8)[0]: "quarter_minus_7",
        Period.rolling_12_months(Q4.end): "rolling_12_months",
        Period.snapshot(date(2024, 9, 1)): "ahead",
    }
    for period, role in roles.items():
        assert figure_role(period, Q4) == role, period
    # The same relation a quarter later has the same role: diff lines the two up.
    q1 = Q4.next_quarter()
    assert figure_role(q1.previous_quarter(), q1) == "previous_quarter"
    assert figure_role(Period.calendar_year(2023), Period.parse("2024-25-Q2")) == (
        "latest_calendar_year"
    )


def _record(label: str, value: float, role: str = "current") -> dict:
    return {
        "report": "newsletter", "id": "ehcp_plans_issued", "area": "919",
        "period": "2023-24-Q4", "label": label, "value": value, "display": f"{value:g}",
        "role": role,
    }  # fmt: skip


def test_verify_matches_figures_by_key_not_label() -> None:
    assert compare_figures([_record("Plans issued", 5)], [_record("New plans issued", 5)]) == []
    changed = compare_figures([_record("Plans issued", 5)], [_record("Plans issued", 6)])
    assert len(changed) == 1 and "recorded 5, recomputed 6" in changed[0]
    roles = compare_figures([_record("x", 5)], [_record("x", 5, role="previous_quarter")])
    assert len(roles) == 2  # one gone, one new: a different figure


def test_audit_edition_names_each_figure_cell_as_the_register_does() -> None:
    cell = nbformat.v4.new_code_cell("rep.fig(...)", id="glance")
    record = {"id": "ehcp_plans_issued"}
    cell.outputs = [nbformat.v4.new_output("display_data", data={FIGURE_MIME: record})]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), cell])
    audit = render_body(nb, "audit")
    assert "Cell 1 (glance) states: <code>ehcp_plans_issued</code>" in audit
    assert "ehcp_plans_issued" not in render_body(nb, "reader")


def test_register_names_the_neighbours_of_a_mean() -> None:
    from sendreport.render import figure_register_html

    record = {
        "report": "performance", "id": "dfe_ehcp_20wk_pct_ex_neighbour_mean", "label": "SN",
        "display": "49.3%", "period": "2023", "basis": "calendar year", "area": "SN:919",
        "numerator": None, "denominator": None, "cell_index": 12, "cell_id": "benchmarks",
        "source": ["published_ehcp_2025.csv"], "role": "latest_calendar_year",
        "extra": {"neighbours": ["Essex (881)", "Kent (886)"]},
    }  # fmt: skip
    html = figure_register_html([record], "performance")
    assert "SN:919: mean of Essex (881), Kent (886)" in html
    assert "latest_calendar_year" in html


def test_a_notebook_error_survives_pickling() -> None:
    """A notebook failing in a pool worker reaches the user as a message, not BrokenProcessPool."""
    import pickle

    from sendreport.exceptions import KernelDied, NotebookError

    for cls in (NotebookError, KernelDied):
        err = cls("performance", cell_index=22, source_line="x", ename="StopIteration",
                  evalue="", kept_at="/tmp/p.ipynb", cell_id="waits")  # fmt: skip
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is cls and str(back) == str(err)
