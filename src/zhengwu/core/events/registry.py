"""In-process event handlers, registered by dotted name.

Apps declare handlers in their ``events.py``::

    from zhengwu.core.events.registry import handler

    @handler("org.department_created")
    def index_department(event) -> None: ...

``autodiscover()`` (run from this app's ``ready()``) imports every ``zhengwu.*.events`` module, so a
handler exists in the web server and in the worker alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

if TYPE_CHECKING:
    from .models import Event

HandlerFn = Callable[["Event"], Any]


@dataclass(frozen=True)
class Handler:
    name: str  # dotted path; the delivery key, so renaming a handler re-delivers old events to it
    event_type: str  # an exact type, or "prefix.*"
    fn: HandlerFn
    atomic: bool = True
    batch: bool = False  # fn takes a list of events (see handler())

    def run(self, events: list[Event]) -> None:
        """Call the handler for these events: once for a batch handler, once per event otherwise."""
        if self.batch:
            self.fn(events)  # type: ignore[arg-type]
        else:
            for event in events:
                self.fn(event)

    def matches(self, event_type: str) -> bool:
        if self.event_type.endswith(".*"):
            return event_type.startswith(self.event_type[:-1])
        return event_type == self.event_type


_handlers: dict[str, Handler] = {}


def handler(
    event_type: str, *, atomic: bool = True, name: str | None = None, batch: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(event)`` for ``event_type`` (or ``"cases.*"`` for every type under a prefix).

    ``atomic=True`` (the default) runs the handler inside the transaction that marks its delivery
    done, so its database effects happen exactly once. Use ``atomic=False`` for a handler that must
    run outside a transaction (it calls a ``durable`` service or the network); it is then delivered
    at least once and must itself be idempotent by ``event.id``.

    ``batch=True`` (atomic handlers only): ``fn(events)`` gets a list of events, in the order they
    occurred — every event of its types that the worker dispatches together (a list of one
    otherwise). If it raises, each event is retried alone, so one bad event does not hold up the
    others; its effects must therefore be the same whether an event comes alone or in a list.
    """
    if batch and not atomic:
        raise ValueError("a batch handler must be atomic")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name or f"{fn.__module__}.{fn.__qualname__}"
        _handlers[key] = Handler(name=key, event_type=event_type, fn=fn, atomic=atomic, batch=batch)
        return fn

    return register


def unregister(name: str) -> None:
    _handlers.pop(name, None)


def get(name: str) -> Handler | None:
    return _handlers.get(name)


def handlers_for(event_type: str) -> list[Handler]:
    return sorted((h for h in _handlers.values() if h.matches(event_type)), key=lambda h: h.name)


def all_handlers() -> list[Handler]:
    return sorted(_handlers.values(), key=lambda h: h.name)


def autodiscover() -> None:
    """Import ``<app>.events`` for every installed Zhengwu app that has one."""
    for config in apps.get_app_configs():
        if config.name.startswith("zhengwu.") and module_has_submodule(config.module, "events"):
            import_module(f"{config.name}.events")
