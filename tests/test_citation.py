"""The dataset can be cited and reused: licence files, CITATION.cff and .zenodo.json agree with VoID and pyproject.

CITATION.cff is validated by cffconvert (PyPI). cffconvert 2.0 pins
jsonschema < 4 while kgtools needs 4.x, so it lives in a virtual environment
of its own (`.ci/run` makes `build/tools/cffconvert`) and runs as a separate
process; `STACKATLAS_CFFCONVERT` can point at another executable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from kgtools import __version__
from kgtools.graph.void import LICENCE

from .conftest import ROOT

CFF_LICENCE = "CC-BY-4.0"  # the SPDX id of VoID's dcterms:license


def cffconvert() -> str | None:
    candidates = [os.environ.get("STACKATLAS_CFFCONVERT"), str(ROOT / "build" / "tools" / "cffconvert" / "bin" / "cffconvert"),
                  shutil.which("cffconvert")]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


if os.environ.get("STACKATLAS_REQUIRE_BROWSER") and cffconvert() is None:
    raise RuntimeError("STACKATLAS_REQUIRE_BROWSER is set but cffconvert is not installed (see .ci/run)")


def test_code_licence_is_apache_as_pyproject_says() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "Apache-2.0"}


def test_data_licence_file_is_the_licence_void_declares() -> None:
    assert str(LICENCE) == "https://creativecommons.org/licenses/by/4.0/"
    text = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert str(LICENCE) in text
    assert "Creative Commons Attribution 4.0 International Public License" in text
    assert "Section 8 – Interpretation." in text  # the legal code in full, not only a pointer


def test_citation_and_zenodo_metadata_match_the_dataset() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == zenodo["version"] == __version__
    assert cff["license"] == zenodo["license"] == CFF_LICENCE
    assert cff["title"] == zenodo["title"] == "Stack Atlas knowledge graph"
    assert zenodo["upload_type"] == "dataset"
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in zenodo["creators"]]


@pytest.mark.skipif(cffconvert() is None, reason="needs cffconvert (python3 -m venv build/tools/cffconvert && "
                    "build/tools/cffconvert/bin/pip install cffconvert)")
def test_citation_cff_validates_with_cffconvert(tmp_path: Path) -> None:
    tool = cffconvert()
    assert tool is not None
    done = subprocess.run([tool, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid according to schema version 1.2.0" in done.stdout
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("cff-version: 1.2.0\n", ""), encoding="utf-8")
    refused = subprocess.run([tool, "--validate", "-i", str(broken)], capture_output=True, text=True, check=False)
    assert refused.returncode != 0  # the validator does reject a broken file
