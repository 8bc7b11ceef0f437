"""Business logic of the surveys app (split by topic)."""

from .draws import draw_sample, drawn_numbers, new_seed  # noqa: F401
from .register import (  # noqa: F401
    ImportResult,
    import_register,
    purge_expired_registers,
    purge_register,
)
