"""Which operations of each service twinport answers, from the handler registry itself.

`twinport operations` prints it; the README's list is this module's Markdown, and a test keeps
the two the same.
"""

from __future__ import annotations

from twinport.services import all_handlers
from twinport.wire.models import service_model

# S3 is moto's S3 backend, made durable: every operation it has.
_S3_LINE = "- **s3**: every operation of moto's S3 backend (buckets, objects, multipart uploads)"


def implemented() -> dict[str, tuple[list[str], int]]:
    """service -> (the operations twinport answers, sorted; how many its model has)."""
    return {
        service: (sorted(handlers), len(service_model(service).operation_names))
        for service, handlers in sorted(all_handlers().items())
    }


def as_markdown() -> str:
    lines = []
    for service, (operations, in_model) in implemented().items():
        names = ", ".join(f"`{name}`" for name in operations)
        lines.append(f"- **{service}** ({len(operations)} of {in_model}): {names}")
    lines.append(_S3_LINE)
    return "\n".join(lines) + "\n"


def as_text() -> str:
    blocks = []
    for service, (operations, in_model) in implemented().items():
        listed = "".join(f"  {name}\n" for name in operations)
        blocks.append(f"{service}: {len(operations)} of {in_model} operations\n{listed}")
    blocks.append("s3: every operation of moto's S3 backend\n")
    return "\n".join(blocks)
