"""Every shipped module imports, so a missing dependency fails here and not for a user."""

import importlib
import pkgutil

import pytest

import adapters
import bot
import storage


def _modules() -> list[str]:
    names = []
    for package in (bot, adapters, storage):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
            names.append(info.name)
    return names


def test_every_package_has_modules():
    # Guards the walk itself: an empty list would make the import test pass vacuously.
    assert len(_modules()) > 50


@pytest.mark.parametrize("name", _modules())
def test_module_imports(name):
    importlib.import_module(name)


def test_trafilatura_can_clean_html():
    # jusText (under trafilatura) imports lxml.html.clean, which lxml 6 moved to its own project.
    import lxml.html.clean  # noqa: F401
    import trafilatura

    html = "<html><body><article><p>" + "Word " * 80 + "</p></article></body></html>"
    assert "Word" in (trafilatura.extract(html) or "")
