"""The two corpora questions are asked over: "seeds" (the corpus folder) and "full" (the seeds
plus the evaluation programmes in evals/corpus/).

evals/corpus/ keeps its metadata in one table, `metadata.csv` (file, party, municipality,
title, year). `build_full_corpus` copies both folders into one and writes each evaluation
programme's row beside it as a `<file>.meta.yaml` sidecar, which the readers understand.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

EVAL_CORPUS_DIR = Path(__file__).with_name("corpus")
METADATA_FILE = "metadata.csv"
COLUMNS = ("file", "party", "municipality", "title", "year")
SIDECAR_SUFFIX = ".meta.yaml"


def read_metadata(folder: Path = EVAL_CORPUS_DIR) -> dict[str, dict[str, str | int]]:
    """File name → its metadata from `folder/metadata.csv` (an empty year is left out).

    Raises ValueError when the header is not exactly COLUMNS, a row lacks a party or
    municipality, or a listed file is missing."""
    path = folder / METADATA_FILE
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(COLUMNS)}")
        rows = list(reader)
    out: dict[str, dict[str, str | int]] = {}
    for number, row in enumerate(rows, 2):
        if not (row["party"].strip() and row["municipality"].strip()):
            raise ValueError(f"{path}:{number}: party and municipality are required")
        if not (folder / row["file"]).is_file():
            raise ValueError(f"{path}:{number}: no such file {row['file']!r} in {folder}")
        meta: dict[str, str | int] = {k: row[k].strip() for k in ("party", "municipality")}
        if row["title"].strip():
            meta["title"] = row["title"].strip()
        if row["year"].strip():
            meta["year"] = int(row["year"])
        out[row["file"]] = meta
    return out


def build_full_corpus(seeds: Path, target: Path, extra: Path = EVAL_CORPUS_DIR) -> Path:
    """A folder `target` holding the seed programmes and every programme listed in
    `extra/metadata.csv`, each of the latter with a sidecar of its row. Returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(seeds.iterdir()):
        if path.is_file() and not path.name.startswith((".", "_")):
            shutil.copyfile(path, target / path.name)
    for name, meta in read_metadata(extra).items():
        shutil.copyfile(extra / name, target / name)
        sidecar = target / (name + SIDECAR_SUFFIX)
        sidecar.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return target
