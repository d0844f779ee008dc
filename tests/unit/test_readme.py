"""The README and docs/ stand alone: no path outside the repository, every link to a file of it, every
make target explained, and the way to the `laget` command."""
from __future__ import annotations

import re

import pytest

from webapp.config import PROJECT_ROOT

DOCUMENTS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_a_document_names_nothing_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    assert "../" not in text.replace("](../", "]("), f"{document.name} points outside the repository"
    for target in LINK.findall(text):
        if not re.match(r"[a-z]+:", target):  # a web address is not ours to check
            assert (document.parent / target).resolve().is_relative_to(PROJECT_ROOT), target
            assert (document.parent / target).exists(), f"{document.name} links to a missing {target}"


def test_the_readme_explains_every_make_target():
    phony = re.search(r"^\.PHONY:(.*)$", (PROJECT_ROOT / "Makefile").read_text(), re.MULTILINE)
    missing = [target for target in phony.group(1).split() if f"make {target}" not in README]
    assert missing == []


def test_the_readme_says_how_to_reach_the_laget_command_and_links_the_contributors_guide():
    command_line = README.split("### The command line", 1)[1]
    assert ". .venv/bin/activate" in command_line and ".venv/bin/laget" in command_line
    assert "](docs/contributing.md)" in README
