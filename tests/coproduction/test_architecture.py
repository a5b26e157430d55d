"""Dependencies point one way: the core knows no feature app, and no two apps import each other.

The core is coproduction, stakeholders and notifications; every other app of the project in
INSTALLED_APPS is a feature app, so a new app is covered the day it is installed. Imports are read
with ``ast`` from every module of the project except tests and migrations, imports inside functions
included: an import moved into a function is still a dependency.
"""
import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.template.backends.django import get_installed_libraries
from django.template.base import Lexer, TokenType

CORE = ("coproduction", "stakeholders", "notifications")
ROOT = Path(settings.BASE_DIR).resolve()


def project_apps():
    """{label: app config} of the installed apps whose code lives in this project."""
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
            found[config.name] = config
    return found


def feature_apps():
    return sorted(set(project_apps()) - set(CORE))


def is_product_module(path):
    parts = path.relative_to(ROOT).parts
    return not ("migrations" in parts or "tests" in parts or path.name.startswith("test_")
                or path.name in ("tests.py", "conftest.py"))


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path):
    """[(line, dotted module name)] of every import in the module, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                dotted = ".".join(base + ([node.module] if node.module else []))
            else:
                dotted = node.module
            names.append((node.lineno, dotted))
    return names


def app_imports():
    """[(importing app, imported app, "path:line imports module")] between two different project apps."""
    installed = project_apps()
    edges = []
    for name, config in installed.items():
        for path in sorted(Path(config.path).resolve().rglob("*.py")):
            if not is_product_module(path):
                continue
            for line, dotted in imported_names(path):
                target = dotted.split(".")[0]
                if target in installed and target != name:
                    edges.append((name, target, f"{path.relative_to(ROOT)}:{line} imports {dotted}"))
    return edges


def cycles(edges):
    """The groups of apps that reach each other (strongly connected, more than one app), each sorted."""
    graph = defaultdict(set)
    for source, target, _where in edges:
        graph[source].add(target)

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for following in graph[todo.pop()]:
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        return seen

    reach = {app: reachable(app) for app in list(graph)}
    groups = {frozenset({app} | {other for other in reach[app] if app in reach.get(other, ())}) for app in reach}
    return sorted(sorted(group) for group in groups if len(group) > 1)


def test_the_app_lists_are_read_from_the_settings():
    """The test cannot pass empty: it sees the core, the feature apps and their modules."""
    installed = project_apps()
    assert set(CORE) <= set(installed)
    assert {"proposals", "budgets", "volunteering", "wiki"} <= set(feature_apps())
    modules = [path for config in installed.values() for path in Path(config.path).rglob("*.py")
               if is_product_module(path.resolve())]
    assert len(modules) > 100
    assert any(target == "coproduction" for _source, target, _where in app_imports())


def test_the_core_imports_no_feature_app():
    features = set(feature_apps())
    wrong = sorted(f"{source} → {target}: {where}" for source, target, where in app_imports()
                   if source in CORE and target in features)
    assert not wrong, "The core imports feature apps:\n" + "\n".join(wrong)


def test_no_import_cycle_between_apps():
    """Apps depend on the apps listed before them in INSTALLED_APPS; a cycle is shown by the
    dependencies that point the other way, which are the ones to remove."""
    edges = app_imports() + template_loads()
    order = {name: index for index, name in enumerate(project_apps())}
    report = []
    for group in cycles(edges):
        inside = sorted(edge for edge in edges if edge[0] in group and edge[1] in group)
        backwards = [edge for edge in inside if order[edge[1]] > order[edge[0]]]
        report.append(f"{' ↔ '.join(group)}: {len(inside) - len(backwards)} dependencies in INSTALLED_APPS "
                      f"order, and these against it:")
        report.extend(f"  {source} → {target}: {where}" for source, target, where in backwards)
    assert not report, "Apps that depend on each other:\n" + "\n".join(report)


def template_owner(relative):
    """The app a template belongs to by its folder (``proposals/…``, ``admin/proposals/…``), or None."""
    parts = relative.parts
    if len(parts) > 2 and parts[0] == "admin":
        return parts[1]
    return parts[0] if len(parts) > 1 else None


def project_templates():
    """[(shown path, path, owning app or None)] of the project's templates."""
    folders = [Path(folder) for folder in engines["django"].dirs]
    folders += [Path(config.path) / "templates" for config in project_apps().values()]
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                relative = path.relative_to(folder)
                found.append((str(path.resolve().relative_to(ROOT)), path, template_owner(relative)))
    return found


def loaded_libraries(text):
    """The template libraries a template names in its {% load %} tags."""
    names = []
    for token in Lexer(text).tokenize():
        bits = token.split_contents() if token.token_type == TokenType.BLOCK else []
        if bits and bits[0] == "load":
            # {% load a b %} or {% load name other from library %}
            names.extend(bits[-1:] if len(bits) > 2 and bits[-2] == "from" else bits[1:])
    return names


def library_apps():
    """{template library name: the project app that provides it}."""
    installed = project_apps()
    return {name: module.split(".")[0] for name, module in get_installed_libraries().items()
            if module.split(".")[0] in installed}


def template_loads():
    """[(owning app or None, app of the library, "path loads library")] across two apps."""
    libraries = library_apps()
    edges = []
    for shown, path, owner in project_templates():
        for name in loaded_libraries(path.read_text(encoding="utf-8")):
            if name in libraries and libraries[name] != owner:
                edges.append((owner, libraries[name], f"{shown} loads {name}"))
    return edges


def test_core_templates_load_no_feature_library():
    """The core's templates, base.html and the shared includes: every template no feature app owns."""
    features = set(feature_apps())
    core = [shown for shown, _path, owner in project_templates() if owner not in features]
    assert any(shown.endswith("templates/base.html") for shown in core)
    assert any("/stakeholders/" in shown for shown in core) and any("/includes/" in shown for shown in core)
    assert set(library_apps().values()) & features, "no feature app's template library was found"
    wrong = sorted(f"{owner or 'the site'} → {target}: {where}" for owner, target, where in template_loads()
                   if owner not in features and target in features)
    assert not wrong, "Core templates load feature apps' template libraries:\n" + "\n".join(wrong)
