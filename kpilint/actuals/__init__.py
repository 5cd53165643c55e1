"""Actuals (ACTUALS.md): the values KPIs took over time, and progress towards their targets.

Imported only when a project declares ``[[actuals]]``: a plain ``check`` pays nothing.
"""
