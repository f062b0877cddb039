"""The handle a fragment's ``with`` block gives: ``with flow.loop("each page") as pages:``."""

from __future__ import annotations

from diagram_dsl.model_drafts import FragmentDraft


class FragmentHandle:
    """An open fragment, named with ``as`` so that a ``break_`` inside it can leave it: ``break_(..., leave=pages)``.

    Example:
        with flow.loop("each page") as pages:
            with flow.loop("each item"):
                with flow.break_("quota exceeded", leave=pages):
                    api.reply(client, "429")
    """

    def __init__(self, draft: FragmentDraft, guard: str) -> None:
        self._draft = draft
        self.kind = draft.kind.value
        self.guard = guard

    def __repr__(self) -> str:
        return f"FragmentHandle({self.kind} {self.guard!r})"
