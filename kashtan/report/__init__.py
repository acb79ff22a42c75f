"""Reporting: everything that reads finished campaigns and archives and writes tables, verdicts,
figures and the results documents. Nothing outside this package imports it except the command
line (``kashtan.cli``, ``kashtan.cli_dynamics``) and the Python API (``tests/test_architecture.py``)."""
