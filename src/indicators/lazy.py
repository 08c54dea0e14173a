"""Modules named at the top of the module that uses them, imported when first used.

``papermill = lazy.module("papermill")`` stands where ``import papermill`` would, and reads the same
(``papermill.execute_notebook(...)``), but the import happens when an attribute is first read. A path that
never uses it does not pay for it: planning a batch, a rerun with nothing changed, or a command of the command
line that needs neither pandas nor papermill. An import that fails fails there, as it would have at the top.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _Deferred(ModuleType):
    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self.__name__), attr)


def module(name: str) -> ModuleType:
    """The module ``name`` (dotted names too: ``jupyter_client.manager``), imported when first used."""
    return _Deferred(name)


def load(*modules: ModuleType) -> None:
    """Import deferred modules now: before a process forks, so that its children share them."""
    for deferred in modules:
        importlib.import_module(deferred.__name__)
