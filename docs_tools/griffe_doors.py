"""A griffe extension: the verbs of sharedsvc, documented as the methods they are.

A verb of `SharedServices` is a *door* onto an act of the catalogue: a class attribute such as
``change_stage = door(ChangeStage)`` (see ``sharedsvc.acts._base.door``). Read from the source,
that is an attribute with no docstring, and mkdocstrings would show it as one. At run time the
door is a function with the act's name, docstring and signature; this extension puts that
function in the attribute's place, so the reference shows each verb as a method: its
parameters (with the types and defaults the act declares), what it returns, and the act's
docstring, with a link to the act.

mkdocs.yml names it in the mkdocstrings options (``extensions``).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import griffe

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


def _door_of(attribute: griffe.Attribute) -> str | None:
    """The name of the act ``attribute`` is a door onto, if it is one (``door(Act)``)."""
    value = attribute.value
    if (
        isinstance(value, griffe.ExprCall)
        and str(value.function).split(".")[-1] == "door"
        and len(value.arguments) == 1
    ):
        return str(value.arguments[0])
    return None


def _field(act: griffe.Class, name: str) -> griffe.Object | griffe.Alias | None:
    """The attribute that declares the act's field ``name`` (its own or a base class's)."""
    try:
        return act.all_members.get(name)
    except griffe.AliasResolutionError:
        return act.members.get(name)


def _default(field: Any) -> str | griffe.Expr | None:
    """The default a field declares: ``= value`` or ``attrs.field(default=value)``."""
    value = getattr(field, "value", None)
    if isinstance(value, griffe.ExprCall) and str(value.function).endswith("field"):
        for argument in value.arguments:
            if isinstance(argument, griffe.ExprKeyword) and argument.name == "default":
                return argument.value
        return None
    return value


def _returns(act: griffe.Class) -> str | griffe.Expr | None:
    """What the act's ``run`` returns: ``X`` of its first base ``Act[X]`` (or ``Step[X]``)."""
    for base in act.bases:
        if isinstance(base, griffe.ExprSubscript):
            return base.slice
    return None


def _verb(owner: griffe.Class, name: str, act_name: str) -> griffe.Function | None:
    """The door ``owner.name`` onto the act ``act_name``, as a function griffe can render."""
    try:
        act = owner.module[act_name]
        if isinstance(act, griffe.Alias):
            act = act.final_target
    except (KeyError, griffe.AliasResolutionError):
        return None
    if not isinstance(act, griffe.Class):
        return None
    runtime = getattr(importlib.import_module(owner.module.path), owner.name)
    signature = inspect.signature(getattr(runtime, name))
    parameters = []
    for parameter in signature.parameters.values():
        field = _field(act, parameter.name) if parameter.name != "self" else None
        annotation = getattr(field, "annotation", None)
        default = None
        if parameter.default is not inspect.Parameter.empty:
            default = _default(field) if field is not None else None
            if default is None:
                default = repr(parameter.default)
        parameters.append(
            griffe.Parameter(
                parameter.name,
                annotation=annotation,
                kind=_KINDS[parameter.kind],
                default=default,
            )
        )
    text = (act.docstring.value if act.docstring else "").rstrip()
    text += (
        f"\n\nThe door onto the act [`{act.name}`][{act.path}]: "
        f"`app.{name}(...)` is `app.execute({act.name}(...))`."
    )
    verb = griffe.Function(
        name,
        lineno=act.lineno,
        endlineno=act.endlineno,
        parameters=griffe.Parameters(*parameters),
        returns=_returns(act),
    )
    if "__init__" not in act.members:
        # attrs writes the act's __init__: give the class the signature it has at run time.
        fields = [parameter for parameter in parameters if parameter.name != "self"]
        init = griffe.Function(
            "__init__",
            lineno=act.lineno,
            endlineno=act.endlineno,
            parameters=griffe.Parameters(griffe.Parameter("self"), *fields),
            returns="None",
        )
        act.set_member("__init__", init)
    verb.docstring = griffe.Docstring(text, parent=verb)
    if act.docstring is not None:
        verb.docstring.parser = act.docstring.parser
        verb.docstring.parser_options = act.docstring.parser_options
    return verb


class Doors(griffe.Extension):
    """Replaces each door attribute of a class by the verb it is, as a method."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.path != "sharedsvc":
            return
        for owner in _classes(pkg):
            for name, member in list(owner.members.items()):
                if member.is_alias or not isinstance(member, griffe.Attribute):
                    continue
                act_name = _door_of(member)
                verb = _verb(owner, name, act_name) if act_name else None
                if verb is not None:
                    owner.set_member(name, verb)


def _classes(module: griffe.Module) -> list[griffe.Class]:
    """Every class defined in ``module`` and its submodules (not the names they import)."""
    found: list[griffe.Class] = []
    for member in module.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Module):
            found.extend(_classes(member))
        elif isinstance(member, griffe.Class):
            found.append(member)
    return found
