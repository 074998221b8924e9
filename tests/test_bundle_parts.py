"""Bundles from entries compressed in the workers: the zips write_bundles makes, byte for byte."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import yaml

from packgen.build import build
from packgen.build_stages import BUNDLE_PARTS
from packgen.bundle import DOWNLOADS, write_bundles
from packgen.bundle_parts import BundleJob, BundleParts, assemble_bundles, make_parts
from packgen.paths import DEFAULTS_DIR
from packgen.resolve import load_pack

CODES = ["en", "fr", "ar"]


def staged_from_work(root: Path, site: Path, into: Path) -> None:
    """The staging folder as the build had it before the zips: work sites, chooser, forms."""
    for code in CODES:
        shutil.copytree(root / "build" / code / "site", into / code)
    shutil.copy(site / "index.html", into / "index.html")
    (into / DOWNLOADS).mkdir()
    for extra in (site / DOWNLOADS).iterdir():
        if extra.suffix != ".zip":
            shutil.copy(extra, into / DOWNLOADS / extra.name)


def test_a_build_publishes_the_zips_write_bundles_makes_of_its_site(write_pack, tmp_path):
    root = write_pack()
    site = tmp_path / "site"
    report = build(root, site, printables=False)
    assert {b.name for b in report.bundles} == {
        "tiny-en.zip",
        "tiny-fr.zip",
        "tiny-ar.zip",
        "tiny-all.zip",
    }
    for code in CODES:
        assert (root / "build" / code / BUNDLE_PARTS).is_file()  # compressed in the worker
    pack, _ = load_pack(root)
    assert pack is not None
    titles = {
        code: yaml.safe_load((root / "build" / code / "mkdocs.yml").read_text())["site_name"]
        for code in CODES
    }
    reference = tmp_path / "reference"
    staged_from_work(root, site, reference)
    expected = write_bundles(pack.layers, "tiny", CODES, titles, reference, source="en")
    for bundle in expected:
        made = (site / DOWNLOADS / bundle.name).read_bytes()
        assert made == (reference / DOWNLOADS / bundle.name).read_bytes(), bundle.name
    assert [b.size for b in report.bundles] == [b.size for b in expected]


def page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def hand_made(folder: Path) -> Path:
    """Two languages' sites by hand: links into the other language, to a form beside the zips."""
    work = folder / "work"
    files = {
        "en/index.html": page(
            '<a href="../fr/index.html">fr</a> <a href="../fr/gone.html">gone</a>'
            ' <a href="../downloads/tiny-log.xlsx">form</a>'
        ),
        "en/style.css": "body { color: red }",
        "fr/index.html": page(
            '<a href="../en/index.html">en</a> <a href="../en/nowhere.html">x</a>'
        ),
        "fr/only.html": page("French only"),
    }
    for name, text in files.items():
        path = work / name.replace("/", "/site/", 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    staging = folder / "staging"
    for code in ("en", "fr"):
        shutil.copytree(work / code / "site", staging / code)
    (staging / "index.html").write_text(page('<a href="en/index.html">en</a>'), encoding="utf-8")
    (staging / DOWNLOADS).mkdir()
    (staging / DOWNLOADS / "tiny-log.xlsx").write_bytes(b"workbook")
    return work


def worker_parts(
    work: Path, codes: list[str], titles: dict[str, str], extras: list[str]
) -> dict[str, BundleParts]:
    """Each language's parts, as its worker makes them after its MkDocs build."""
    return {
        code: make_parts(
            BundleJob(
                code,
                work / code / "site",
                work / code / "parts",
                codes,
                "tiny",
                [DEFAULTS_DIR],
                "en",
                titles[code],
                extras,
            )
        )
        for code in codes
    }


def test_a_link_guessed_wrong_in_a_worker_is_unlinked_in_the_bundle_of_all(tmp_path):
    work = hand_made(tmp_path)
    staging = tmp_path / "staging"
    reference = tmp_path / "reference"
    shutil.copytree(staging, reference)
    codes, titles = ["en", "fr"], {"en": "Tiny", "fr": "Minuscule"}
    made = worker_parts(work, codes, titles, ["tiny-log.xlsx"])
    # The workers cannot know that fr has no gone.html, nor en a nowhere.html.
    assert made["en"].guesses == {"en/index.html": ["fr/gone.html", "fr/index.html"]}
    assert made["en"].extras == ["tiny-log.xlsx"]
    assert made["fr"].extras == []
    bundles = assemble_bundles(
        "tiny", codes, titles, staging, made, layers=[DEFAULTS_DIR], source="en"
    )
    expected = write_bundles([DEFAULTS_DIR], "tiny", codes, titles, reference, source="en")
    assert [b.name for b in bundles] == ["tiny-en.zip", "tiny-fr.zip", "tiny-all.zip"]
    for bundle in expected:
        ours = (staging / DOWNLOADS / bundle.name).read_bytes()
        assert ours == (reference / DOWNLOADS / bundle.name).read_bytes(), bundle.name
    with zipfile.ZipFile(staging / DOWNLOADS / "tiny-all.zip") as archive:
        text = archive.read("en/index.html").decode()
        assert 'href="../fr/index.html"' in text and "gone.html" not in text
    with zipfile.ZipFile(staging / DOWNLOADS / "tiny-en.zip") as archive:
        assert "downloads/tiny-log.xlsx" in archive.namelist()
        assert "fr/index.html" not in archive.namelist()


def test_parts_made_for_other_forms_are_not_used(tmp_path):
    work = hand_made(tmp_path)
    staging = tmp_path / "staging"
    reference = tmp_path / "reference"
    shutil.copytree(staging, reference)
    codes, titles = ["en", "fr"], {"en": "Tiny", "fr": "Minuscule"}
    # Made when no form lay beside the zips: the bundles are zipped from the site instead.
    made = worker_parts(work, codes, titles, [])
    assemble_bundles("tiny", codes, titles, staging, made, layers=[DEFAULTS_DIR], source="en")
    write_bundles([DEFAULTS_DIR], "tiny", codes, titles, reference, source="en")
    for name in ("tiny-en.zip", "tiny-fr.zip", "tiny-all.zip"):
        assert (staging / DOWNLOADS / name).read_bytes() == (
            reference / DOWNLOADS / name
        ).read_bytes()
