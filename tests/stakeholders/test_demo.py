"""seed_demo runs every app's demo through one entry point, each after what it builds on."""
import inspect

import pytest
from django.apps import apps
from django.core.management import CommandError

from stakeholders.management.commands import seed_demo
from stakeholders.management.commands.seed_demo import demo_order


def test_every_demo_runs_after_the_apps_before_it_and_what_it_needs():
    order = [config.label for config, _demo in demo_order()]
    assert order[0] == "stakeholders"  # the organisations and people everything else builds on
    assert order.index("proposals") < order.index("budgets")
    assert order.index("proposals") < order.index("volunteering") and order.index("wiki") < order.index("volunteering")
    for config, demo in demo_order():
        for needed in getattr(demo, "NEEDS", ()):
            assert apps.is_installed(apps.get_app_config(needed).name)
            assert order.index(needed) < order.index(config.label), f"{config.label} needs {needed}"


def test_every_demo_has_the_one_entry_point():
    for config, demo in demo_order():
        assert list(inspect.signature(demo.seed).parameters) == ["site"], config.label


def test_demos_that_need_each_other_in_a_circle_are_refused(monkeypatch):
    found = seed_demo.contract_modules("demo", provides="seed")
    circle = {"proposals": ("wiki",), "wiki": ("proposals",)}

    class Demo:
        def __init__(self, label, demo):
            self.NEEDS, self.seed = circle.get(label, getattr(demo, "NEEDS", ())), demo.seed

    monkeypatch.setattr(seed_demo, "contract_modules",
                        lambda name, provides=None: [(config, Demo(config.label, demo)) for config, demo in found])
    with pytest.raises(CommandError, match="in a circle"):
        demo_order()
