"""User-facing errors: one line naming the file, line or parameter at fault."""


class IndicatorsError(Exception):
    """An error caused by input (a file, a parameter), not by a bug.

    The command line prints its message on one line and exits with ``code`` (2), without a traceback.
    """

    code = 2


class Stopped(IndicatorsError):
    """The work was stopped by a signal (Ctrl-C, SIGTERM): exit 128 + the signal's number."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.code = 128 + signum
