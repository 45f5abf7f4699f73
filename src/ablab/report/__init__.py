"""``ablab report``: one self-contained HTML file with the web app's views, for sharing."""

from ablab.report.build import build_report, write_report

__all__ = ["build_report", "write_report"]
