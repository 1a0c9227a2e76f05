"""Loaders for DfE published statistics (and the MoJ tribunal and NHS waiting-list tables).

Every loader returns the same tidy long frame (see :mod:`sendreport.dfe._tidy`): one row per
area, measure and period, with the publisher's suppression marker kept in ``status``.

- :func:`sendreport.dfe.release.load_release`: an "Education, health and care plans" release
- :func:`sendreport.dfe.sen2_mi.load_sen2_mi`: the older wide SEN2 file, 2014–2022
- :func:`sendreport.dfe.tribunals.load_tribunals`: SEND Tribunal appeals and appeal rate
- :func:`sendreport.dfe.nhs.load_nhs_waiting_lists`: NHS community health waiting lists
- :func:`sendreport.dfe.neighbours.load_statistical_neighbours`: LAIT statistical neighbours
- :func:`sendreport.dfe.published.published_benchmarks`: DfE headline figures for every LA, shipped
- :func:`sendreport.dfe.benchmarks.benchmarks_for`: England, region and neighbour comparators
- :func:`sendreport.dfe.fetch.fetch_release`: download a release from explore-education-statistics
"""

from sendreport.dfe._tidy import TIDY_COLUMNS

__all__ = ["TIDY_COLUMNS"]
