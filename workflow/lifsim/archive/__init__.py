"""Verifiable dataset archives: ``manifest`` (pure: name, MANIFEST, descriptions, checks), ``bundle`` (disk).

Only ``manifest`` is imported here: the Snakefile names the archive at DAG-build time.
"""
from .manifest import ArchiveError, Report, archive_name, resolved_config, resolved_text

__all__ = ["ArchiveError", "Report", "archive_name", "resolved_config", "resolved_text"]
