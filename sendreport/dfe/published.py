"""Published DfE figures typed in as facts, used as benchmarks when no ``--dfe`` folder is given.

Source: Department for Education, "Education, health and care plans", reporting year 2025
(published June 2025, explore-education-statistics), files ``timeliness_20_week.csv``,
``requests.csv`` and ``caseload.csv``; statistical neighbours from the DfE Local Authority
Interactive Tool (May 2025). Crown copyright, Open Government Licence v3.0.

The table was generated from those files with :func:`sendreport.dfe.release.load_release` and
:func:`sendreport.dfe.benchmarks.neighbour_mean`, then typed in here; a test
(``tests/dfe/test_published.py``) checks it still equals what the loader reads from the files.

Coverage (the headline breakdown only):

- areas: England (E92000001); Hertfordshire (919, E10000015) and its region East of England
  (E12000006); Herefordshire (884, E06000019) and its region West Midlands (E12000005)
- ``ehcp_20wk_pct_ex`` and ``ehcp_20wk_pct_inc``: % of new EHC plans issued within 20 weeks
  excluding / including exceptions, calendar years 2019–2024, with the within-20-weeks count as
  numerator and the plans issued as denominator (England 2023 excluding exceptions: 50.3%,
  38,471 / 76,506)
- ``ehcna_requests_received``: requests for an EHC needs assessment, 2019–2024
- ``ehcna_refusal_pct``: refused ÷ (refused + agreed to assess), computed from the published
  counts; DfE did not publish the decisions to assess before 2023, so 2019–2022 carry status
  ``x`` and no value
- ``ehcp_caseload``: EHC plans maintained at the January census, January 2019–2025
- ``ehcp_20wk_pct_ex`` for the statistical neighbours of 919 and of 884 (``area_code``
  ``SN:919`` / ``SN:884``): the simple mean of the ten neighbours' published rates, with their
  summed counts as numerator and denominator
"""

from __future__ import annotations

import pandas as pd

from sendreport.dfe._tidy import CALENDAR_YEAR, JANUARY_SNAPSHOT, finish_tidy

__all__ = ["PUBLISHED_ROWS", "published_benchmarks"]

SOURCE_RELEASE = "DfE Education, health and care plans, reporting year 2025"
_SNAPSHOT_MEASURES = frozenset({"ehcp_caseload"})

# fmt: off
# (area_code, area_name, level, la_code, measure, period, value, numerator, denominator,
#  status, source file)
PUBLISHED_ROWS: tuple[
    tuple[
        str, str, str, str | None, str, str, float | None, float | None, float | None,
        str | None, str,
    ],
    ...,
] = (
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2019", 60.4, 29895.0, 49519.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2020", 58.0, 31446.0, 54175.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2021", 59.9, 34249.0, 57196.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2022", 49.2, 30536.0, 62108.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2023", 50.3, 38471.0, 76506.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_ex", "2024", 46.4, 39407.0, 84866.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2019", 58.7, 31313.0, 53327.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2020", 55.6, 32863.0, 59097.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2021", 57.9, 35470.0, 61269.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2022", 47.7, 31226.0, 65512.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2023", 49.1, 39784.0, 80945.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcp_20wk_pct_inc", "2024", 45.9, 41448.0, 90392.0, None, "timeliness_20_week.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2019", 82329.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2020", 75951.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2021", 93302.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2022", 114482.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2023", 138242.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_requests_received", "2024", 154489.0, None, None, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2019", None, 18755.0, None, "x", "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2020", None, 16406.0, None, "x", "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2021", None, 20830.0, None, "x", "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2022", None, 25255.0, None, "x", "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2023", 26.276104847533418, 33141.0, 126126.0, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcna_refusal_pct", "2024", 27.790958594766103, 38889.0, 139934.0, None, "requests.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2019-01", 353995.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2020-01", 390109.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2021-01", 430697.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2022-01", 473255.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2023-01", 517048.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2024-01", 576474.0, None, None, None, "caseload.csv"),
    ("E92000001", "England", "national", None, "ehcp_caseload", "2025-01", 638745.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2019", 65.0, 3283.0, 5050.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2020", 58.8, 3220.0, 5479.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2021", 65.0, 4096.0, 6301.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2022", 32.4, 1908.0, 5883.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2023", 34.2, 2947.0, 8605.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_ex", "2024", 39.6, 3688.0, 9315.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2019", 63.5, 3431.0, 5404.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2020", 55.7, 3462.0, 6214.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2021", 62.9, 4313.0, 6861.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2022", 30.8, 1926.0, 6245.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2023", 32.9, 3073.0, 9341.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_20wk_pct_inc", "2024", 39.3, 3916.0, 9975.0, None, "timeliness_20_week.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2019", 9430.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2020", 8293.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2021", 11244.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2022", 13711.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2023", 16580.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_requests_received", "2024", 18728.0, None, None, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2019", None, 2819.0, None, "x", "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2020", None, 2222.0, None, "x", "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2021", None, 2902.0, None, "x", "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2022", None, 3170.0, None, "x", "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2023", 23.835541592678595, 3490.0, 14642.0, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcna_refusal_pct", "2024", 21.369830121856054, 3560.0, 16659.0, None, "requests.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2019-01", 39596.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2020-01", 43205.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2021-01", 48023.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2022-01", 53263.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2023-01", 57481.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2024-01", 65552.0, None, None, None, "caseload.csv"),
    ("E12000006", "East of England", "regional", None, "ehcp_caseload", "2025-01", 72487.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2019", 87.9, 888.0, 1010.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2020", 78.7, 826.0, 1049.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2021", 78.0, 1048.0, 1344.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2022", 32.6, 502.0, 1541.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2023", 40.2, 525.0, 1306.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_ex", "2024", 56.3, 957.0, 1699.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2019", 87.1, 989.0, 1135.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2020", 78.8, 922.0, 1170.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2021", 76.6, 1135.0, 1482.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2022", 32.3, 512.0, 1585.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2023", 41.5, 566.0, 1363.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_20wk_pct_inc", "2024", 55.2, 984.0, 1781.0, None, "timeliness_20_week.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2019", 1647.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2020", 1681.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2021", 2165.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2022", 2695.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2023", 2849.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_requests_received", "2024", 3343.0, None, None, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2019", None, 406.0, None, "x", "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2020", None, 395.0, None, "x", "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2021", None, 496.0, None, "x", "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2022", None, 714.0, None, "x", "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2023", 32.576350822239625, 832.0, 2554.0, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcna_refusal_pct", "2024", 25.91106653293213, 775.0, 2991.0, None, "requests.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2019-01", 6328.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2020-01", 7202.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2021-01", 8338.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2022-01", 9422.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2023-01", 10486.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2024-01", 11897.0, None, None, None, "caseload.csv"),
    ("E10000015", "Hertfordshire", "la", "919", "ehcp_caseload", "2025-01", 12920.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2019", 53.7, 2559.0, 4766.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2020", 50.0, 2833.0, 5667.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2021", 62.6, 3303.0, 5273.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2022", 50.1, 3010.0, 6006.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2023", 49.5, 3912.0, 7908.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_ex", "2024", 42.3, 3767.0, 8906.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2019", 52.8, 2683.0, 5081.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2020", 50.6, 3084.0, 6090.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2021", 60.1, 3469.0, 5775.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2022", 48.9, 3168.0, 6480.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2023", 48.4, 4144.0, 8562.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_20wk_pct_inc", "2024", 41.0, 3920.0, 9558.0, None, "timeliness_20_week.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2019", 8131.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2020", 7452.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2021", 8884.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2022", 11827.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2023", 15080.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_requests_received", "2024", 16161.0, None, None, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2019", None, 1996.0, None, "x", "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2020", None, 1930.0, None, "x", "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2021", None, 2092.0, None, "x", "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2022", None, 3209.0, None, "x", "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2023", 30.28030578813251, 4159.0, 13735.0, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcna_refusal_pct", "2024", 32.075987426540934, 4694.0, 14634.0, None, "requests.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2019-01", 39570.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2020-01", 41897.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2021-01", 46127.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2022-01", 49505.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2023-01", 52986.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2024-01", 59551.0, None, None, None, "caseload.csv"),
    ("E12000005", "West Midlands", "regional", None, "ehcp_caseload", "2025-01", 66710.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2019", 90.1, 118.0, 131.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2020", 91.0, 121.0, 133.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2021", 85.5, 141.0, 165.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2022", 74.7, 121.0, 162.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2023", 77.1, 222.0, 288.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_ex", "2024", 67.6, 225.0, 333.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2019", 90.1, 118.0, 131.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2020", 91.0, 121.0, 133.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2021", 84.1, 164.0, 195.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2022", 74.7, 121.0, 162.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2023", 77.1, 222.0, 288.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_20wk_pct_inc", "2024", 67.4, 225.0, 334.0, None, "timeliness_20_week.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2019", 220.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2020", 227.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2021", 277.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2022", 305.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2023", 401.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_requests_received", "2024", 531.0, None, None, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2019", None, 88.0, None, "x", "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2020", None, 76.0, None, "x", "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2021", None, 74.0, None, "x", "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2022", None, 92.0, None, "x", "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2023", 23.415977961432507, 85.0, 363.0, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcna_refusal_pct", "2024", 23.376623376623378, 108.0, 462.0, None, "requests.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2019-01", 939.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2020-01", 1002.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2021-01", 1055.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2022-01", 1182.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2023-01", 1284.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2024-01", 1461.0, None, None, None, "caseload.csv"),
    ("E06000019", "Herefordshire, County of", "la", "884", "ehcp_caseload", "2025-01", 1717.0, None, None, None, "caseload.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2019", 63.11, 2714.0, 4906.0, None, "timeliness_20_week.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2020", 60.46, 2696.0, 5577.0, None, "timeliness_20_week.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2021", 52.55, 2569.0, 6477.0, None, "timeliness_20_week.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2022", 34.766666666666666, 2751.0, 7476.0, "partial", "timeliness_20_week.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2023", 49.31, 4121.0, 7652.0, None, "timeliness_20_week.csv"),
    ("SN:919", "Statistical neighbours of Hertfordshire (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2024", 37.760000000000005, 2732.0, 8244.0, None, "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2019", 52.08888888888889, 2532.0, 4922.0, "partial", "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2020", 58.599999999999994, 3516.0, 6562.0, "partial", "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2021", 72.73333333333333, 4075.0, 5588.0, "partial", "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2022", 57.12222222222223, 3177.0, 5460.0, "partial", "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2023", 51.17, 3976.0, 7779.0, None, "timeliness_20_week.csv"),
    ("SN:884", "Statistical neighbours of Herefordshire, County of (mean)", "statistical neighbours", None, "ehcp_20wk_pct_ex", "2024", 49.85000000000001, 3755.0, 8849.0, None, "timeliness_20_week.csv"),
)
# fmt: on


def published_benchmarks() -> pd.DataFrame:
    """The typed-in published figures as a tidy frame (same columns as the loaders)."""
    columns = [
        "area_code",
        "area_name",
        "level",
        "la_code",
        "measure",
        "period",
        "value",
        "numerator",
        "denominator",
        "status",
        "source",
    ]
    frame = pd.DataFrame(list(PUBLISHED_ROWS), columns=columns)
    frame["period_basis"] = [
        JANUARY_SNAPSHOT if m in _SNAPSHOT_MEASURES else CALENDAR_YEAR for m in frame["measure"]
    ]
    return finish_tidy(frame)
