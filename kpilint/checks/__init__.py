"""Rule checks, one module per family; each check is one small function.

Importing a module registers its checks (``kpilint.registry.rule``); the
registry imports them on first use, so start-up stays light.
"""
