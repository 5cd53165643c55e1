"""Governance on change (KPI8xx): run by ``kpilint diff`` only (not yet implemented)."""
