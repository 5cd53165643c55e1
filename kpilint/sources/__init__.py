"""Sources: KPI catalogues read where they live (SOURCES.md).

``reader`` turns a file into documents with positions; ``mapping`` turns records
into kpilint entities positioned in the source; ``spec`` validates declarations;
presets are mapping files under ``presets/``. Everything here is imported lazily:
the CLI's start-up only lists the preset names (``presets.preset_names``).
"""
