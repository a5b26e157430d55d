"""The contract modules that feature apps offer the core, found by autodiscovery.

A feature app may provide, next to its models:
- ``notify.py``: its notification categories, its event verbs and whom each concerns
  (notifications.registry);
- ``privacy.py``: what it exports for a person and what erasure does with each reference to a
  user (stakeholders.privacy, stakeholders.erasure);
- ``api.py``: its open-data endpoints (coproduction.api);
- ``demo.py``: its demo content (seed_demo), run in the order of INSTALLED_APPS;
- ``search.py`` with ``SEARCH``: what it indexes and its kinds of results on /search/ (coproduction.search);
- ``attention.py`` with ``ATTENTION`` (and optionally ``REFINE``): the work waiting for staff that the
  back office's start page counts (stakeholders.start_page).

The core imports none of these apps by name: it asks this module for the contracts present.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def contract_modules(name, provides=None):
    """[(app_config, module)] of every installed app that has the module ``name``, in INSTALLED_APPS order.

    ``provides`` names what the contract module must define; a module of that name without it is not
    a contract (``coproduction.api`` is the API's base, not an app's endpoints).
    """
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{name}"
        if find_spec(dotted) is None:
            continue
        module = import_module(dotted)
        if provides is None or hasattr(module, provides):
            found.append((config, module))
    return found
