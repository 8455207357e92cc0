"""Error types that map one-to-one onto the CLI's exit codes.

Keeping the mapping in the exception type (not in the call site) means every subcommand exits
with the same code for the same kind of problem: 2 when the operator's input is wrong and can be
fixed by changing it, 1 when the input was fine but the operation failed or was refused.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class MlgovError(Exception):
    """The operation failed or was refused (exit code 1)."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InputError(MlgovError):
    """The operator's input is invalid (exit code 2); the message names the bad input."""

    exit_code = EXIT_BAD_INPUT
