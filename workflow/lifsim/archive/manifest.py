"""What a dataset archive holds and how it is checked (pure functions: no file access).

An archive ``lifsim-<hash>`` holds one folder of that name::

    README.txt            what each file holds, and how to verify and open them
    MANIFEST              SHA-256 of every other file, in ``sha256sum`` format ("<hex>  <path>")
    config/resolved.json  the resolved parameter sets (canonical JSON); <hash> = its SHA-256, first 16 digits
    config/<file>         the config file(s) as given
    environment.json      software versions, platform and git commit of the archiving run
    datasets/, analysis/, summaries/, figures/   the results
    report.html           the HTML report of every figure, when one was made (snakemake --report)

The name depends on the resolved parameters only: the same parameters archived
twice give the same name (and, with the same results and software, the same
bytes); different parameter sets get different names and live side by side.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..config.resolve import canonical_json, sha256

MANIFEST = "MANIFEST"
README = "README.txt"
RESOLVED = "config/resolved.json"
ENVIRONMENT = "environment.json"
HASH_DIGITS = 16
RESULT_STAGES = ("datasets", "analysis", "summaries", "figures")
REPORT = "report.html"

_LINE = re.compile(r"([0-9a-f]{64})  (\S(?:.*\S)?)")


class ArchiveError(ValueError):
    """An archive (or its MANIFEST) that cannot be read or would be unsafe to unpack."""


def resolved_config(plans: dict, formats) -> dict:
    """Everything that decides an archive's results: each experiment's job params and options, the formats."""
    return {"experiments": {name: {"kind": p.kind, "jobs": p.jobs, "analysis": p.analysis, "figures": p.figures}
                            for name, p in sorted(plans.items())},
            "figure_formats": sorted(formats)}


def resolved_text(plans: dict, formats) -> str:
    return canonical_json(resolved_config(plans, formats))


def archive_name(resolved: str) -> str:
    """``lifsim-<first 16 hex digits of the SHA-256 of the resolved config's canonical JSON>``."""
    return f"lifsim-{sha256(resolved)[:HASH_DIGITS]}"


def check_member_name(name: str) -> str:
    """``name`` if it is a plain relative path (no ``..``, not absolute, no backslash), else ArchiveError."""
    norm = posixpath.normpath(name)
    if (not name or name.startswith("/") or "\\" in name or norm != name.rstrip("/")
            or norm in (".", "..") or norm.startswith("../") or re.match(r"^[A-Za-z]:", name)):
        raise ArchiveError(f"unsafe member path {name!r}: members must be plain relative paths")
    return norm


def manifest_text(digests: dict[str, str]) -> str:
    """The MANIFEST: one ``<sha256>  <path>`` line per file, sorted by path (``sha256sum -c`` reads it)."""
    for path in digests:
        check_member_name(path)
        if "\n" in path or path != path.strip():
            raise ArchiveError(f"file name {path!r} cannot be listed in a MANIFEST")
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))


def parse_manifest(text: str) -> dict[str, str]:
    """``{path: sha256}`` from MANIFEST text; any malformed, unsafe or repeated line is an ArchiveError."""
    out: dict[str, str] = {}
    if not text.endswith("\n"):
        raise ArchiveError("MANIFEST is truncated (no final newline)")
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        match = _LINE.fullmatch(line)
        if match is None:
            raise ArchiveError(f"MANIFEST line {number} is not '<64 hex digits>  <path>': {line[:100]!r}")
        digest, path = match.groups()
        check_member_name(path)
        if path in out:
            raise ArchiveError(f"MANIFEST line {number} lists {path!r} a second time")
        out[path] = digest
    if not out:
        raise ArchiveError("MANIFEST lists no file")
    return out


@dataclass
class Report:
    """The outcome of checking an archive against its MANIFEST."""

    name: str
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    corrupted: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)    # NetCDF members that fail to read (verify --deep)
    read_back: int | None = None                         # NetCDF members read in full (verify --deep)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.corrupted or self.damaged)

    def lines(self) -> list[str]:
        if self.ok:
            deep = f"; all {self.read_back} NetCDF files read back in full" if self.read_back is not None else ""
            return [f"OK {self.name}: all {self.checked} files listed in MANIFEST are present and match "
                    f"their SHA-256; no other file{deep}"]
        out = [f"FAILED {self.name}: {len(self.missing)} missing, {len(self.extra)} extra, "
               f"{len(self.corrupted)} corrupted file(s)" + (f", {len(self.damaged)} damaged dataset(s)"
                                                             if self.damaged else "")]
        out += [f"  missing:   {p}" for p in self.missing]
        out += [f"  extra:     {p}" for p in self.extra]
        out += [f"  corrupted: {p}" for p in self.corrupted]
        out += [f"  damaged:   {p}" for p in self.damaged]
        return out


def compare(name: str, listed: dict[str, str], found: dict[str, str]) -> Report:
    """Compare MANIFEST entries with ``{path: sha256}`` of the files found (the MANIFEST itself left out)."""
    return Report(name=name, checked=len(listed),
                  missing=sorted(set(listed) - set(found)),
                  extra=sorted(set(found) - set(listed)),
                  corrupted=sorted(p for p in set(listed) & set(found) if listed[p] != found[p]))


# ---- the human-readable description -----------------------------------------------------------------------------

FIXED_DESCRIPTIONS = {
    README: "this description",
    MANIFEST: "SHA-256 of every other file (sha256sum format); checked by `python -m lifsim verify`",
    REPORT: "the HTML report of every figure with its caption (snakemake --report; open in a browser)",
    RESOLVED: "the resolved parameters of every job, analysis and figure (canonical JSON, SI units); "
              "the archive name is lifsim-<first 16 hex digits of its SHA-256>",
    ENVIRONMENT: "versions of Python, lifsim and the libraries, platform and git commit of the archiving run",
}
STAGE_WORDS = {"datasets": "gathered simulation dataset", "analysis": "analysis (rates and derived numbers)",
               "summaries": "summary of the measured numbers (RST for the report, JSON for programs)"}


def describe_dataset(ds) -> list[str]:
    """Title, dimensions and variables (with units) of an xarray Dataset, as short lines."""
    dims = ", ".join(f"{d} = {n}" for d, n in ds.sizes.items())
    names = [f"{v} ({ds[v].attrs['units']})" if "units" in ds[v].attrs else str(v) for v in ds.data_vars]
    return [f"{ds.attrs.get('title', 'dataset')} (NetCDF-4; open with xarray.open_dataset)",
            f"dimensions: {dims or 'none'}", f"variables: {', '.join(names)}"]


def describe(path: str, experiments, dataset_lines: dict[str, list[str]]) -> list[str]:
    """What the file at archive path ``path`` holds (one or more short lines)."""
    if path in FIXED_DESCRIPTIONS:
        return [FIXED_DESCRIPTIONS[path]]
    stage, _, base = path.partition("/")
    if stage == "config":
        return ["the config file as given to snakemake (comments included)"]
    stem, _, fmt = base.rpartition(".")
    if stage in STAGE_WORDS:
        return [f"{STAGE_WORDS[stage]} of experiment {stem}", *dataset_lines.get(path, [])]
    if stage == "figures":
        exp = max((e for e in experiments if stem.startswith(e)), key=len, default=stem)
        part = stem[len(exp):].lstrip("_")
        what = f"figure of experiment {exp}" + (f" ({part})" if part else "")
        return [f"{what}, {fmt.upper()}, drawn from datasets/{exp}.nc and analysis/{exp}.nc"]
    return ["a file of the lifsim pipeline"]


def readme_text(name: str, paths, experiments, dataset_lines: dict[str, list[str]]) -> str:
    """README.txt of an archive: what it is, how to check and open it, and one entry per file."""
    head = [
        f"lifsim dataset archive {name}",
        "",
        "Results of the lifsim pipeline (conductance-based leaky integrate-and-fire simulations) for one",
        "resolved parameter set. Values in the datasets are in the units of their `units` attributes;",
        "each dataset's attributes hold the parameters it was made from (lifsim_params, canonical JSON)",
        "and the software versions.",
        "",
        f"Check every file:   python -m lifsim verify {name}     (or, inside the folder: sha256sum -c MANIFEST)",
        "Open a dataset:     xarray.open_dataset(\"datasets/<experiment>.nc\")",
        "",
        "Files:",
    ]
    body = []
    for path in sorted(set(paths) | {README, MANIFEST}):
        first, *more = describe(path, experiments, dataset_lines)
        body.append(f"  {path}")
        body += [f"      {line}" for line in (first, *more)]
    return "\n".join(head + body) + "\n"
