from zhengwu.core.events.periodic import periodic

from .services import idempotency_prune


@periodic(seconds=3600)
def prune_idempotency_keys() -> None:
    idempotency_prune()
