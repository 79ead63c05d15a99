"""Who may read a stored file. Apps widen access per purpose; nothing narrows it below the default."""

from __future__ import annotations

from collections.abc import Callable

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from .models import StoredFile

AccessRule = Callable[[Actor, StoredFile], bool]
_rules: dict[str, list[AccessRule]] = {}


def register_access_rule(purpose: str, rule: AccessRule) -> AccessRule:
    """Let `rule(actor, stored_file)` grant reading of files of `purpose` (e.g. a case's reviewers).

    Usable as a plain call or as a decorator factory's target; registering the same rule twice is
    harmless (apps may be imported more than once in tests).
    """
    rules = _rules.setdefault(purpose, [])
    if rule not in rules:
        rules.append(rule)
    return rule


def unregister_access_rule(purpose: str, rule: AccessRule) -> None:
    if rule in _rules.get(purpose, []):
        _rules[purpose].remove(rule)


def default_rule(actor: Actor, stored_file: StoredFile) -> bool:
    """The owner and the uploader may read; system administrators may read everything."""
    if actor.user_id is None:
        return False
    if Role.SYSADMIN in actor.roles:
        return True
    return actor.user_id in (stored_file.owner_user_id, stored_file.created_by_user_id)


def can_read(actor: Actor, stored_file: StoredFile) -> bool:
    """Default rule, then the purpose's rules (which alone may open a file to anonymous visitors)."""
    if default_rule(actor, stored_file):
        return True
    return any(rule(actor, stored_file) for rule in _rules.get(stored_file.purpose, ()))
